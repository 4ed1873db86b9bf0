import type { SubmitClaimInput } from "@claimwire/contracts";
import { createInsurerClient } from "@claimwire/sdk";
import { afterEach, describe, expect, it } from "vitest";
import { claims } from "../db/schema.ts";
import type { ClinicInsurerApi } from "../insurer-api.ts";
import {
  claimLifecycle,
  createTestClinic,
  submittedClaim,
  type TestClinic,
  unusedInsurer,
} from "../testing/clinic-fixture.ts";

let clinic: TestClinic;
afterEach(() => clinic?.close());

const validForm = {
  clinicReference: "INV-2026-0099",
  patientRef: "pat_8f3k2m9x",
  policyNumber: "POL-123456",
  currency: "eur",
  code: "99213",
  serviceDate: "2026-11-27",
  quantity: "2",
  unitAmount: "92.50",
};

function post(form: Record<string, string>) {
  return clinic.app.request("/claims", { method: "POST", body: new URLSearchParams(form) });
}

/** Records submissions and answers like the insurer would (the real one runs in e2e). */
function recordingInsurer() {
  const sent: SubmitClaimInput[] = [];
  const [v1] = claimLifecycle(undefined, validForm.clinicReference);
  const client = {
    ...unusedInsurer,
    claims: {
      submit: {
        mutate: async (input: SubmitClaimInput) => {
          sent.push(input);
          return submittedClaim(v1);
        },
      },
    },
  } satisfies ClinicInsurerApi;
  return { client, sent };
}

describe("the claims page", () => {
  it("lists claims with status, total and business days left until the decision", async () => {
    clinic = createTestClinic();
    const [v1, v2] = claimLifecycle();
    await clinic.deliver(v1);
    await clinic.deliver(v2);
    clinic.processor.processPending();

    const page = await (await clinic.app.request("/")).text();
    expect(page).toContain("INV-2026-0042");
    expect(page).toContain("in review");
    expect(page).toContain("€185.00");
    expect(page).toContain("2026-12-25");
    // Monday 2026-11-30 09:00 → Friday 2026-12-25 09:30 is 19 business days.
    expect(page).toContain("19 business days left");
  });

  it("serves the claims with their history as JSON", async () => {
    clinic = createTestClinic();
    const [v1, v2] = claimLifecycle();
    await clinic.deliver(v1, { webhookId: "evt_1" });
    await clinic.deliver(v2, { webhookId: "evt_2" });
    clinic.processor.processPending();

    const body = (await (await clinic.app.request("/api/claims")).json()) as { claims: unknown[] };
    expect(body.claims).toMatchObject([
      {
        id: v1.data.claimId,
        status: "in_review",
        version: 2,
        history: [
          { version: 1, status: "submitted", webhookId: "evt_1" },
          { version: 2, status: "in_review", webhookId: "evt_2" },
        ],
      },
    ]);
  });

  it("re-renders invalid input with the field's error and calls nothing", async () => {
    clinic = createTestClinic(); // its insurer client fails the test if called
    const response = await post({ ...validForm, patientRef: "Jane Doe", unitAmount: "12.345" });
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain("Patient token: must be a pseudonymous token");
    expect(page).toContain("Unit amount (e.g. 85.00): must be an amount like 12.50");
    expect(page).toContain('value="INV-2026-0099"'); // what was typed is kept
    expect(clinic.db.select().from(claims).all()).toEqual([]);
  });

  it("escapes what was typed", async () => {
    clinic = createTestClinic();
    const page = await (
      await post({ ...validForm, clinicReference: '"><script>x</script>' })
    ).text();
    expect(page).not.toContain("<script>x</script>");
    expect(page).toContain("&lt;script&gt;");
  });

  it("submits a valid claim in minor units, stores it and redirects to the list", async () => {
    const insurer = recordingInsurer();
    clinic = createTestClinic({ client: insurer.client });
    const response = await post(validForm);
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/");
    expect(insurer.sent).toEqual([
      {
        clinicReference: "INV-2026-0099",
        patientRef: "pat_8f3k2m9x",
        policyNumber: "POL-123456",
        currency: "EUR",
        serviceLines: [{ code: "99213", serviceDate: "2026-11-27", quantity: 2, unitAmount: 9250 }],
      },
    ]);
    const page = await (await clinic.app.request("/")).text();
    expect(page).toContain("INV-2026-0099");
    expect(page).toContain("submitted");
  });

  it("tells staff when the insurer cannot be reached, keeping what they typed", async () => {
    const client = createInsurerClient({ baseUrl: "http://127.0.0.1:9", apiKey: "cw_test" });
    clinic = createTestClinic({ client });
    const response = await post(validForm);
    expect(response.status).toBe(502);
    const page = await response.text();
    expect(page).toContain("The insurer could not be reached");
    expect(page).toContain('value="92.50"');
    expect(clinic.db.select().from(claims).all()).toEqual([]);
  });
});

describe("GET /healthz", () => {
  it("reports whether the endpoint is registered", async () => {
    clinic = createTestClinic({ register: false });
    expect(await (await clinic.app.request("/healthz")).json()).toEqual({
      ok: true,
      registered: false,
    });
  });
});
