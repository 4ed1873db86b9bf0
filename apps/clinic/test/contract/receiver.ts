/**
 * The clinic's real entry point for check (c) of the consumer contract (docs/contracts.md):
 * each body is signed with the clinic's endpoint secret and POSTed to its receiver, then
 * the inbox is processed. Accepted means a 2xx and a message that ended applied, ignored
 * (a type the clinic does not know), duplicate or stale — not refused, failed, retrying or
 * quarantined.
 */
import { createTestClinic } from "@claimwire/clinic-api/testing";
import { inbox } from "@claimwire/clinic-db";
import type { ConsumerUnderTest } from "@claimwire/contracts/compat";
import { newId } from "@claimwire/ids";

const ACCEPTED_STATES = ["applied", "ignored", "duplicate", "stale"];

export const clinicUnderTest: ConsumerUnderTest = {
  consumer: "clinic",
  async receive(body) {
    const clinic = createTestClinic();
    try {
      const webhookId = newId("event");
      const response = await clinic.deliverBody(body, { webhookId });
      if (!response.ok) {
        throw new Error(`the receiver answered ${response.status}: ${await response.text()}`);
      }
      clinic.processor.processPending();
      // A claim event of version > 1 waits for the earlier ones first (the gap wait).
      clinic.clock.advance(60_000);
      clinic.processor.processPending();
      const row = clinic.db
        .select()
        .from(inbox)
        .all()
        .find((message) => message.webhookId === webhookId);
      if (!row || !ACCEPTED_STATES.includes(row.state) || row.error !== null) {
        throw new Error(
          `the processor left it ${row?.state ?? "missing"}${row?.error ? `: ${row.error}` : ""}`,
        );
      }
    } finally {
      clinic.close();
    }
  },
};
