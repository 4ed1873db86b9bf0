import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
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

describe("migration 0003 (inbox.raw_body)", () => {
  it("keeps every inbox row of an older database, with no raw body", () => {
    // The migrations up to 0002, as a clinic running the previous release had them.
    const source = fileURLToPath(new URL("../drizzle", import.meta.url));
    const older = join(dir, "migrations-0002");
    cpSync(source, older, { recursive: true });
    const journalPath = join(older, "meta", "_journal.json");
    const journal = JSON.parse(readFileSync(journalPath, "utf8"));
    journal.entries = journal.entries.filter((e: { tag: string }) => e.tag <= "0002");
    writeFileSync(journalPath, JSON.stringify(journal));

    const path = join(dir, "older.sqlite");
    const sqlite = new Database(path);
    migrate(drizzle(sqlite), { migrationsFolder: older });
    sqlite
      .prepare(
        `insert into inbox (webhook_id, event_type, claim_id, version, body, webhook_timestamp, webhook_signature, received_at)
         values ('evt_old', 'claim.submitted', 'clm_1', 1, '{"type":"claim.submitted"}', 1800000000, 'v1,abc', '2026-11-30T09:00:00.000Z')`,
      )
      .run();
    sqlite.close();

    const upgraded = openDatabase(path);
    const rows = upgraded.db.all(sql`select webhook_id, body, raw_body, state from inbox`);
    upgraded.close();
    expect(rows).toEqual([
      {
        webhook_id: "evt_old",
        body: '{"type":"claim.submitted"}',
        raw_body: null,
        state: "pending",
      },
    ]);
  });
});
