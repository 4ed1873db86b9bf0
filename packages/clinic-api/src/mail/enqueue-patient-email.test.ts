import { patientEmailOutbox } from "@claimwire/clinic-db";
import { afterEach, describe, expect, it } from "vitest";
import { claimLifecycle, createTestClinic, type TestClinic } from "../testing/clinic-fixture.ts";
import { enqueuePatientEmail } from "./enqueue-patient-email.ts";

let clinic: TestClinic;
afterEach(() => clinic?.close());

describe("enqueuePatientEmail", () => {
  it("keeps one row per claim version, however often it is called", async () => {
    clinic = createTestClinic();
    const [v1] = claimLifecycle();
    await clinic.deliver(v1);
    clinic.processor.processPending();
    const email = {
      claimId: v1.data.claimId,
      version: 1,
      status: "submitted",
      recipient: "patient@example.org",
      language: "en" as const,
      now: "2026-11-30T09:00:00.000Z",
    };
    expect(enqueuePatientEmail(clinic.db, email)).toBe(true);
    expect(enqueuePatientEmail(clinic.db, email)).toBe(false);
    expect(enqueuePatientEmail(clinic.db, { ...email, recipient: "other@example.org" })).toBe(
      false,
    );
    expect(clinic.db.select().from(patientEmailOutbox).all()).toHaveLength(1);
  });

  it("queues nothing for a status the patient is not e-mailed about", async () => {
    clinic = createTestClinic();
    const [v1] = claimLifecycle();
    await clinic.deliver(v1);
    clinic.processor.processPending();
    const base = {
      claimId: v1.data.claimId,
      recipient: "patient@example.org",
      language: "en" as const,
      now: "2026-11-30T09:00:00.000Z",
    };
    expect(enqueuePatientEmail(clinic.db, { ...base, version: 2, status: "in_review" })).toBe(
      false,
    );
    expect(enqueuePatientEmail(clinic.db, { ...base, version: 3, status: "withdrawn" })).toBe(
      false,
    );
    expect(clinic.db.select().from(patientEmailOutbox).all()).toEqual([]);
  });
});
