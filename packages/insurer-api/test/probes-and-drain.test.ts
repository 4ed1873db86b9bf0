import { request as httpRequest } from "node:http";
import { checkReadiness } from "@claimwire/service";
import { waitFor } from "@claimwire/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  checkOutboxAndStop,
  STAFF_KEY,
  startTestInsurer,
  type TestInsurer,
} from "../src/testing/harness.ts";

let h: TestInsurer;

beforeAll(async () => {
  h = await startTestInsurer({ start: true });
});
afterAll(() => checkOutboxAndStop(h));

const readyz = async () => {
  const res = await fetch(`${h.baseUrl}/readyz`);
  return { status: res.status, body: await res.json() };
};

/** A tRPC call whose body is only half sent: a request in flight until `finish()`. */
function halfSentRequest(baseUrl: string) {
  const body = JSON.stringify({ name: "Clinic sent slowly" });
  const req = httpRequest(`${baseUrl}/trpc/clinics.create`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${STAFF_KEY}`,
      "content-type": "application/json",
      "content-length": Buffer.byteLength(body),
    },
  });
  const answered = new Promise<number>((resolve, reject) => {
    req.on("response", (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
  });
  req.write(body.slice(0, 5));
  return {
    answered,
    finish: () => req.end(body.slice(5)),
  };
}

describe("insurer probes", () => {
  it("answer /healthz and, once the attempt reports' consumer is bound, /readyz with 200", async () => {
    expect((await fetch(`${h.baseUrl}/healthz`)).status).toBe(200);
    // start() returns before the recorder has found its consumer.
    await waitFor("the recorder to bind", async () => (await readyz()).status === 200);
    expect(await readyz()).toEqual({ status: 200, body: { ready: true } });
  });

  it("answer /readyz with 503 naming NATS while NATS is down, and 200 once it is back", async () => {
    await h.nats.kill();
    try {
      const down = await waitFor("readyz to report NATS", async () => {
        const r = await readyz();
        return r.status === 503 && r;
      });
      expect(down.body).toEqual({ ready: false, notReady: { nats: "disconnected" } });
      // Alive all the same: a restart would not bring NATS back.
      expect((await fetch(`${h.baseUrl}/healthz`)).status).toBe(200);
    } finally {
      await h.nats.restart();
    }
    await waitFor("readyz to be ready again", async () => (await readyz()).status === 200, {
      timeoutMs: 15_000,
    });
  });
});

describe("insurer drain", () => {
  it("turns /readyz and new requests to 503, lets the running request finish, then closes", async () => {
    const baseUrl = h.baseUrl!;
    const running = halfSentRequest(baseUrl);
    // The request is in the app (its body is being read) before the drain starts.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const drained = h.insurer.drain();

    expect(await readyz()).toEqual({
      status: 503,
      body: { ready: false, notReady: { draining: "draining" } },
    });
    const refused = await fetch(`${baseUrl}/trpc/clinics.list`, {
      headers: { authorization: `Bearer ${STAFF_KEY}` },
    });
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("1");
    expect(refused.headers.get("connection")).toBe("close");

    running.finish();
    expect(await running.answered).toBe(200);
    await drained;
    await expect(fetch(`${baseUrl}/healthz`)).rejects.toThrow();
    // Drained: the recorder has let go of the attempt reports' consumer too.
    expect(await checkReadiness(h.insurer.readiness)).toEqual({
      ready: false,
      notReady: { draining: "draining", consumer: "not consuming" },
    });
    // The request that was running committed.
    const clinics = await h.staff.clinics.list();
    expect(clinics.map((c) => c.name)).toContain("Clinic sent slowly");
  });
});
