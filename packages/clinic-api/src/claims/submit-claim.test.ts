import { claimStatusHistory, claims, inbox, patientNotifications } from "@claimwire/clinic-db";
import type { SubmitClaimInput } from "@claimwire/contracts";
import { asc, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import {
  claimLifecycle,
  createTestClinic,
  silentLogger,
  submittedClaim,
  type TestClinic,
} from "../testing/clinic-fixture.ts";
import { submitClaim } from "./submit-claim.ts";

let clinic: TestClinic;
afterEach(() => clinic?.close());

const input: SubmitClaimInput = {
  clinicReference: "INV-2026-0042",
  patientRef: "pat_8f3k2m9x",
  policyNumber: "POL-123456",
  currency: "EUR",
  serviceLines: [{ code: "99213", serviceDate: "2026-11-27", quantity: 1, unitAmount: 18_500 }],
};

// The insurer's side of `claims.submit` is out of scope here (the cross-process tests use
// the real one); this stands in at the API edge and records what it was sent.
function insurerReturning(claim: ReturnType<typeof submittedClaim>) {
  const sent: SubmitClaimInput[] = [];
  return {
    sent,
    client: {
      claims: {
        submit: {
          mutate: async (body: SubmitClaimInput) => {
            sent.push(body);
            return claim;
          },
        },
      },
    },
  };
}

function stored(claimId: string) {
  const claim = clinic.db.select().from(claims).where(eq(claims.id, claimId)).get();
  const history = clinic.db
    .select()
    .from(claimStatusHistory)
    .where(eq(claimStatusHistory.claimId, claimId))
    .orderBy(asc(claimStatusHistory.version))
    .all();
  const notes = clinic.db.select().from(patientNotifications).all();
  return { claim, history, notes };
}

describe("submitClaim", () => {
  it("stores the submitted claim at version 1 with a history row not tied to a webhook", async () => {
    clinic = createTestClinic();
    const [v1] = claimLifecycle();
    const insurer = insurerReturning(submittedClaim(v1));
    const deps = {
      db: clinic.db,
      client: insurer.client,
      clock: clinic.clock,
      logger: silentLogger,
      defaultLanguage: "en" as const,
      queuePatientEmail: false,
    };

    await submitClaim(deps, input);
    expect(insurer.sent).toEqual([input]);
    const { claim, history, notes } = stored(v1.data.claimId);
    expect(claim).toMatchObject({ status: "submitted", version: 1, patientRef: "pat_8f3k2m9x" });
    expect(history).toMatchObject([{ version: 1, status: "submitted", webhookId: null }]);
    expect(notes).toHaveLength(1);

    // The claim.submitted webhook arriving afterwards is just a duplicate.
    expect((await clinic.deliver(v1, { webhookId: "evt_v1" })).status).toBe(204);
    clinic.processor.processPending();
    expect(clinic.db.select().from(inbox).get()?.state).toBe("duplicate");
    expect(stored(v1.data.claimId).notes).toHaveLength(1);
  });

  it("never lowers the version when webhooks arrived before the submit response", async () => {
    clinic = createTestClinic();
    const [v1, v2] = claimLifecycle();
    await clinic.deliver(v1, { webhookId: "evt_v1" });
    await clinic.deliver(v2, { webhookId: "evt_v2" });
    clinic.processor.processPending();

    const insurer = insurerReturning(submittedClaim(v1));
    const deps = {
      db: clinic.db,
      client: insurer.client,
      clock: clinic.clock,
      logger: silentLogger,
      defaultLanguage: "en" as const,
      queuePatientEmail: false,
    };
    await submitClaim(deps, input);

    const { claim, history } = stored(v1.data.claimId);
    expect(claim).toMatchObject({ status: "in_review", version: 2 });
    // What only the submit response knows is still filled in.
    expect(claim?.patientRef).toBe("pat_8f3k2m9x");
    expect(history.map((h) => [h.version, h.webhookId])).toEqual([
      [1, "evt_v1"],
      [2, "evt_v2"],
    ]);
  });
});
