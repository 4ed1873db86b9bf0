// The REST client (`@claimwire/sdk/rest`) against a real insurer: in-process, over HTTP
// on a free port, with its own store and nats-server (startTestInsurer).
import { claimInput, startTestInsurer, type TestInsurer } from "@claimwire/insurer-api/testing";
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import {
  type components,
  createRestClient,
  type RestClient,
  type RestError,
} from "../src/rest/index.ts";

let insurer: TestInsurer;
let rest: RestClient;
let otherClinic: RestClient;

beforeAll(async () => {
  insurer = await startTestInsurer({ start: true });
  const baseUrl = insurer.baseUrl ?? "";
  rest = createRestClient({ baseUrl, apiKey: (await insurer.newClinic("Rest Clinic")).apiKey });
  const other = await insurer.newClinic("Other Clinic");
  // A trailing slash on the base URL is fine.
  otherClinic = createRestClient({ baseUrl: `${baseUrl}/`, apiKey: other.apiKey });
});

afterAll(async () => {
  await insurer?.stop();
});

describe("createRestClient", () => {
  it("submits a claim and reads it back with a clinic's API key", async () => {
    const body = claimInput();
    const submitted = await rest.POST("/claims", { body });
    expect(submitted.response.status).toBe(200);
    expect(submitted.error).toBeUndefined();
    const claim = submitted.data;
    if (!claim) throw new Error("no claim in the answer");
    expectTypeOf(claim).toEqualTypeOf<components["schemas"]["Claim"]>();
    expect(claim).toMatchObject({
      clinicReference: body.clinicReference,
      status: "submitted",
      total: { amount: 18_500, currency: "EUR" },
    });

    const read = await rest.GET("/claims/{claimId}", { params: { path: { claimId: claim.id } } });
    expect(read.data).toEqual(claim);
    // The same claim as the tRPC API sees it: one insurer, two transports.
    expect(await insurer.staff.claims.byId({ claimId: claim.id })).toEqual(claim);

    const page = await rest.GET("/claims", { params: { query: { limit: 5 } } });
    expect(page.data?.items.map((item) => item.id)).toContain(claim.id);
  });

  it("answers another clinic's claim with a typed NOT_FOUND that names it", async () => {
    const { data: claim } = await rest.POST("/claims", { body: claimInput() });
    if (!claim) throw new Error("no claim in the answer");

    const { data, error, response } = await otherClinic.GET("/claims/{claimId}", {
      params: { path: { claimId: claim.id } },
    });
    expectTypeOf(error).toEqualTypeOf<RestError | undefined>();
    expect(data).toBeUndefined();
    expect(response.status).toBe(404);
    expect(error).toMatchObject({ code: "NOT_FOUND", message: `No claim with id '${claim.id}'` });
  });

  it("answers a submission that breaks the schema with BAD_REQUEST naming the field", async () => {
    const { error, response } = await rest.POST("/claims", {
      body: { ...claimInput(), serviceLines: [] },
    });
    expect(response.status).toBe(400);
    expect(error?.code).toBe("BAD_REQUEST");
    expect(error?.message).toContain("serviceLines");
  });

  it("is refused without a valid API key, before anything is read", async () => {
    const stranger = createRestClient({ baseUrl: insurer.baseUrl ?? "", apiKey: "cw_not_a_key" });
    const { error, response } = await stranger.GET("/me");
    expect(response.status).toBe(401);
    expect(error?.code).toBe("UNAUTHORIZED");
  });
});
