import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WEBHOOK_EVENT_EXAMPLES } from "@claimwire/contracts";
import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { afterAll, describe, expect, it } from "vitest";
import { openSqliteStore } from "../src/sqlite/open-sqlite-store.ts";

const DRIZZLE = new URL("../drizzle/sqlite/", import.meta.url);
const dir = mkdtempSync(join(tmpdir(), "claimwire-migrations-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A database migrated only as far as the walking skeleton's 0000_init, with data in it. */
function skeletonDatabase(path: string): void {
  const folder = join(dir, "skeleton-migrations");
  mkdirSync(join(folder, "meta"), { recursive: true });
  const journal = JSON.parse(readFileSync(new URL("meta/_journal.json", DRIZZLE), "utf8"));
  journal.entries = journal.entries.slice(0, 1);
  writeFileSync(join(folder, "meta", "_journal.json"), JSON.stringify(journal));
  copyFileSync(new URL("0000_init.sql", DRIZZLE), join(folder, "0000_init.sql"));

  const sqlite = new Database(path);
  sqlite.pragma("foreign_keys = ON");
  migrate(drizzle({ client: sqlite }), { migrationsFolder: folder });
  const event = WEBHOOK_EVENT_EXAMPLES["claim.submitted"];
  const at = "2026-11-27T09:30:00.000Z";
  sqlite.exec(`
    insert into clinics values ('${event.data.clinicId}', 'Old Clinic', '${at}');
    insert into claims values ('${event.data.claimId}', '${event.data.clinicId}', 'INV-1', 'pat_8f3k2m9x',
      'POL-1234', 'EUR', '[]', 18500, 'submitted', 1, '${at}', '${event.data.decisionDueAt}', null, null,
      '[]', null, '${at}');
    insert into events (id, clinic_id, claim_id, type, version, payload, committed_at, published_at)
      values ('evt_01JDQ6Z7Y8X9W0V1T2S3R4Q5P6', '${event.data.clinicId}', '${event.data.claimId}',
      'claim.submitted', 1, '${JSON.stringify(event)}', '${at}', '${at}');
    insert into endpoints values ('ep_01JDQ6Z7Y8X9W0V1T2S3R4Q5P6', '${event.data.clinicId}',
      'https://old.example/hooks', '["claim.submitted"]', '', 'whsec_AAAA', 1, '${at}');
    insert into deliveries values ('dlv_01JDQ6Z7Y8X9W0V1T2S3R4Q5P6', 'evt_01JDQ6Z7Y8X9W0V1T2S3R4Q5P6',
      'ep_01JDQ6Z7Y8X9W0V1T2S3R4Q5P6', 'pending', 2, 503, 'HTTP 503', '2026-11-27T09:31:00.000Z', null, '${at}');
    insert into attempts values ('atm_01JDQ6Z7Y8X9W0V1T2S3R4Q5P6', 'dlv_01JDQ6Z7Y8X9W0V1T2S3R4Q5P6', 2,
      '${at}', 12.5, 'failed', 503, 'HTTP 503', '2026-11-27T09:31:00.000Z');
  `);
  sqlite.close();
}

describe("SQLite migrations", () => {
  it("upgrades a walking-skeleton database with data in it, keeping every row", async () => {
    const path = join(dir, "insurer.sqlite");
    skeletonDatabase(path);
    const store = openSqliteStore(path);
    const { sqlite } = store;
    try {
      expect(sqlite.prepare("select id, claim_id, version from events").all()).toEqual([
        {
          id: "evt_01JDQ6Z7Y8X9W0V1T2S3R4Q5P6",
          claim_id: WEBHOOK_EVENT_EXAMPLES["claim.submitted"].data.claimId,
          version: 1,
        },
      ]);
      // A waiting delivery of the old protocol is handed to the dispatcher, due.
      expect(
        sqlite
          .prepare("select status, attempt_count, next_attempt_at, schedule_base from deliveries")
          .get(),
      ).toEqual({
        status: "retrying",
        attempt_count: 2,
        next_attempt_at: "2026-11-27T09:31:00.000Z",
        schedule_base: 0,
      });
      expect(
        sqlite
          .prepare(
            "select signature_scheme, retiring_secrets, enabled, headers, rate_limit_per_second from endpoints",
          )
          .get(),
      ).toEqual({
        signature_scheme: "hmac-sha256",
        retiring_secrets: "[]",
        enabled: 1,
        // An endpoint from before custom headers and rate limits: none of either.
        headers: "{}",
        rate_limit_per_second: null,
      });
      expect(sqlite.prepare("select trigger, response_headers from attempts").get()).toEqual({
        trigger: "scheduled",
        response_headers: "{}",
      });
      // Operational events (no claim, no version) fit now, and keys are enforced again.
      sqlite
        .prepare(
          "insert into events (id, clinic_id, claim_id, type, version, payload, committed_at) values (?, ?, null, 'endpoint.disabled', null, '{}', ?)",
        )
        .run(
          "evt_01JDQ6Z7Y8X9W0V1T2S3R4Q5P7",
          "cln_01JDQ6Y0000000000000000000",
          "2026-12-01T00:00:00.000Z",
        );
      expect(sqlite.pragma("foreign_keys", { simple: true })).toBe(1);
      expect(sqlite.pragma("foreign_key_check")).toEqual([]);
    } finally {
      await store.close();
    }
    // Opening again applies nothing twice.
    await openSqliteStore(path).close();
  });
});
