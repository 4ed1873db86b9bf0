import { inbox } from "@claimwire/clinic-db";
import { desc, sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { createTestClinic, type TestClinic } from "../testing/clinic-fixture.ts";

let clinic: TestClinic;
afterEach(() => clinic?.close());

describe("recentInboxMessages", () => {
  it("reads the newest messages from an index, not by sorting the whole inbox", () => {
    clinic = createTestClinic();
    // The order recentInboxMessages asks for; the inbox keeps every message it received.
    const { sql: query } = clinic.db
      .select()
      .from(inbox)
      .orderBy(desc(inbox.receivedAt), desc(inbox.webhookId))
      .limit(100)
      .toSQL();
    const plan = clinic.db
      .all<{ detail: string }>(sql.raw(`explain query plan ${query.replace("?", "100")}`))
      .map((step) => step.detail);
    expect(plan).toEqual([expect.stringContaining("USING INDEX inbox_received_idx")]);
  });
});
