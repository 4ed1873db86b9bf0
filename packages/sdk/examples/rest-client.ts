// The REST client: submit a claim and read it back, with typed answers and typed errors.
import { createRestClient } from "@claimwire/sdk/rest";

const rest = createRestClient({
  baseUrl: process.env.INSURER_URL ?? "http://127.0.0.1:4000",
  apiKey: process.env.CLINIC_API_KEY ?? "cw_clinic_demo_dev_key_change_me",
});

const { data: claim, error } = await rest.POST("/claims", {
  body: {
    clinicReference: `REST-${Date.now()}`,
    patientRef: "pat_7f3k2m9x",
    policyNumber: "POL-123456",
    currency: "EUR",
    serviceLines: [{ code: "99213", serviceDate: "2026-11-20", quantity: 1, unitAmount: 12_500 }],
  },
});
// An error answer is not thrown: `error` is its body, `code` and a `message` naming the field.
if (error) throw new Error(`${error.code}: ${error.message}`);
console.log(`submitted ${claim.id}: ${claim.status}`);

const read = await rest.GET("/claims/{claimId}", { params: { path: { claimId: claim.id } } });
if (read.error?.code === "NOT_FOUND") console.log("not this clinic's claim");
else console.log(`read ${read.data?.id}: ${read.data?.status}`);
