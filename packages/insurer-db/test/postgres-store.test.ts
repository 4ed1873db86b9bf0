import { WEBHOOK_EVENT_EXAMPLES } from "@claimwire/contracts";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPostgresStore } from "../src/postgres/open-postgres-store.ts";
import type { Store } from "../src/store.ts";
import { createTestDatabase } from "../src/testing/test-store.ts";

let database: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

describe("the PostgreSQL store", () => {
  it("is migrated once when several processes start on an empty database at once", async () => {
    const stores = await Promise.all([1, 2, 3].map(() => openPostgresStore(database.url)));
    try {
      const [store] = stores as [Store, ...Store[]];
      const applied = await store.db.execute<{ n: string }>(
        sql`select count(*) as n from drizzle.__drizzle_migrations`,
      );
      expect(Number(applied.rows[0]?.n)).toBeGreaterThanOrEqual(1);
      // Every table of the schema is there once.
      const tables = await store.db.execute<{ table_name: string }>(
        sql`select table_name from information_schema.tables where table_schema = 'public' order by 1`,
      );
      expect(tables.rows.map((row) => row.table_name)).toEqual([
        "api_keys",
        "attempts",
        "claims",
        "clinics",
        "deliveries",
        "endpoints",
        "events",
        "idempotency_keys",
        "rate_limits",
      ]);
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });

  it("keeps a payload's JSON exactly as written, and numbers as numbers", async () => {
    const store = await openPostgresStore(database.url);
    try {
      const { clinics, events } = store.tables;
      const event = WEBHOOK_EVENT_EXAMPLES["endpoint.disabled"];
      await store.transaction(async (tx) => {
        await tx
          .insert(clinics)
          .values({ id: event.data.clinicId, name: "Clinic", createdAt: event.timestamp });
        await store.appendingEvents(tx);
        await tx.insert(events).values({
          id: "evt_1",
          clinicId: event.data.clinicId,
          claimId: null,
          type: event.type,
          version: null,
          payload: event,
          committedAt: event.timestamp,
        });
      });
      const [row] = await store.db.select().from(events);
      expect(row?.payload).toEqual(event);
      expect(typeof row?.seq).toBe("number");
      const text = await store.db.execute<{ payload: string }>(
        sql`select payload::text as payload from events`,
      );
      expect(text.rows[0]?.payload).toBe(JSON.stringify(event));
    } finally {
      await store.close();
    }
  });

  it("runs a transaction again when a concurrent one made it fail, and rolls back one that throws", async () => {
    const store = await openPostgresStore(database.url);
    try {
      const { clinics } = store.tables;
      await store.transaction((tx) =>
        tx.insert(clinics).values({ id: "cln_counter", name: "0", createdAt: "x" }),
      );
      // 10 read-modify-write increments at once: SERIALIZABLE makes all but one of each
      // overlapping pair fail, and the store runs those again, so none is lost.
      await Promise.all(
        Array.from({ length: 10 }, () =>
          store.transaction(async (tx) => {
            const [row] = await tx.select().from(clinics).where(sql`${clinics.id} = 'cln_counter'`);
            await tx
              .update(clinics)
              .set({ name: String(Number(row?.name) + 1) })
              .where(sql`${clinics.id} = 'cln_counter'`);
          }),
        ),
      );
      const [counter] = await store.db
        .select()
        .from(clinics)
        .where(sql`${clinics.id} = 'cln_counter'`);
      expect(counter?.name).toBe("10");

      await expect(
        store.transaction(async (tx) => {
          await tx.insert(clinics).values({ id: "cln_rolled_back", name: "x", createdAt: "x" });
          throw new Error("changed my mind");
        }),
      ).rejects.toThrow("changed my mind");
      const rolledBack = await store.db
        .select()
        .from(clinics)
        .where(sql`${clinics.id} = 'cln_rolled_back'`);
      expect(rolledBack).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
