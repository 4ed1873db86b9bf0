import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STAFF_KEY, startTestInsurer, type TestInsurer } from "../src/testing/harness.ts";

// Token buckets per API key over real HTTP (tRPC and REST), with a fake clock: a burst of
// 3, then 1 request per second.

let clock = Date.parse("2026-11-27T09:00:00Z");
let h: TestInsurer;
let keyA: string;
let keyB: string;

beforeAll(async () => {
  h = await startTestInsurer({
    start: true,
    now: () => clock,
    env: { RATE_LIMIT_PER_SECOND: "1", RATE_LIMIT_BURST: "3" },
  });
  keyA = (await h.newClinic("Clinic A")).apiKey;
  keyB = (await h.newClinic("Clinic B")).apiKey;
});
afterAll(async () => {
  await h?.stop();
});

async function rest(key: string, path = "/me") {
  const res = await fetch(`${h.baseUrl}/api/v1${path}`, {
    headers: { authorization: `Bearer ${key}` },
  });
  return {
    status: res.status,
    retryAfter: res.headers.get("retry-after"),
    json: (await res.json()) as Record<string, unknown>,
  };
}

async function trpc(key: string) {
  const res = await fetch(`${h.url}/me`, { headers: { authorization: `Bearer ${key}` } });
  return {
    status: res.status,
    retryAfter: res.headers.get("retry-after"),
    json: (await res.json()) as { error?: { message: string } },
  };
}

describe("rate limits per API key", () => {
  it("answers 429 with Retry-After once the burst is spent, on REST and tRPC alike", async () => {
    expect((await rest(keyA)).status).toBe(200);
    expect((await trpc(keyA)).status).toBe(200);
    expect((await rest(keyA, "/claims?limit=5")).status).toBe(200);

    const refused = await rest(keyA);
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(refused.json).toMatchObject({ code: "TOO_MANY_REQUESTS" });
    expect(String(refused.json.message)).toMatch(/Rate limit exceeded/);

    const refusedTrpc = await trpc(keyA);
    expect(refusedTrpc.status).toBe(429);
    expect(Number(refusedTrpc.retryAfter)).toBeGreaterThanOrEqual(1);
  });

  it("leaves other keys alone", async () => {
    expect((await rest(keyB)).status).toBe(200);
    expect((await trpc(STAFF_KEY)).status).toBe(200);
  });

  it("refills over time", async () => {
    expect((await rest(keyA)).status).toBe(429);
    clock += 1000;
    expect((await rest(keyA)).status).toBe(200);
    expect((await rest(keyA)).status).toBe(429);
    clock += 3000;
    for (let i = 0; i < 3; i++) expect((await trpc(keyA)).status).toBe(200);
    expect((await trpc(keyA)).status).toBe(429);
  });

  it("does not count unknown keys against anyone (they are 401)", async () => {
    expect((await rest("cw_unknown_key_0000000000")).status).toBe(401);
  });
});
