import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "./open-database.ts";

const dir = mkdtempSync(join(tmpdir(), "claimwire-clinic-db-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MIGRATION_FILES = readdirSync(fileURLToPath(new URL("../drizzle", import.meta.url))).filter(
  (name) => name.endsWith(".sql"),
);

describe("openDatabase", () => {
  it("creates and migrates a fresh file in a new folder; opening it again applies nothing twice", () => {
    const path = join(dir, "nested", "clinic.sqlite");
    const first = openDatabase(path);
    const tables = first.db.all<{ name: string }>(
      sql`select name from sqlite_master where type = 'table'`,
    );
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(["inbox", "claims"]));
    first.close();
    const again = openDatabase(path);
    const applied = again.db.get(sql`select count(*) as n from __drizzle_migrations`);
    again.close();
    expect(applied).toEqual({ n: MIGRATION_FILES.length });
  });
});
