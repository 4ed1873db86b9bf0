import { getTableConfig as pgTableConfig } from "drizzle-orm/pg-core";
import { getTableConfig as sqliteTableConfig } from "drizzle-orm/sqlite-core";
import { describe, expect, it } from "vitest";
import * as postgres from "../src/postgres/schema.ts";
import * as sqlite from "../src/sqlite/schema.ts";

/**
 * The domain is typed against the PostgreSQL schema and runs on either (src/store.ts), so
 * the two must declare the same tables, columns, keys and indexes. TypeScript checks the
 * row types; this checks what TypeScript cannot see.
 */
type Shape = {
  name: string;
  columns: { name: string; notNull: boolean; primary: boolean; hasDefault: boolean }[];
  indexes: { name: string; unique: boolean; columns: string[] }[];
  foreignKeys: string[];
};

function shapeOf(
  config: ReturnType<typeof pgTableConfig> | ReturnType<typeof sqliteTableConfig>,
): Shape {
  return {
    name: config.name,
    columns: config.columns
      .map((c) => ({
        name: c.name,
        notNull: c.notNull,
        primary: c.primary,
        // An identity column is filled by the database, as SQLite's autoincrement is.
        hasDefault: c.hasDefault || c.primary,
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    indexes: config.indexes
      .map((index) => ({
        name: index.config.name ?? "",
        unique: index.config.unique,
        columns: index.config.columns.map((c) => ("name" in c ? String(c.name) : "(expression)")),
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    foreignKeys: config.foreignKeys
      .map((fk) => {
        const ref = fk.reference();
        return `${ref.columns.map((c) => c.name).join(",")} → ${ref.foreignColumns.map((c) => c.name).join(",")} on delete ${fk.onDelete ?? "no action"}`;
      })
      .sort(),
  };
}

const pgTables: Record<string, unknown> = Object.fromEntries(Object.entries(postgres));
const sqliteTables: Record<string, unknown> = Object.fromEntries(Object.entries(sqlite));
const tableNames = Object.keys(pgTables);

describe("the two schemas", () => {
  it("declare the same tables", () => {
    expect(Object.keys(sqliteTables).sort()).toEqual(Object.keys(pgTables).sort());
    expect(tableNames.length).toBeGreaterThanOrEqual(8);
  });

  it.each(tableNames)("declare %s column for column, with the same keys and indexes", (name) => {
    const pg = shapeOf(pgTableConfig(pgTables[name] as never));
    const lite = shapeOf(sqliteTableConfig(sqliteTables[name] as never));
    expect(pg).toEqual(lite);
  });
});
