import { claims } from "@claimwire/clinic-db";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { claimLifecycle, createTestClinic, type TestClinic } from "../testing/clinic-fixture.ts";
import { PATIENT_EVENTS_PATH } from "./patient-events-routes.ts";

let clinic: TestClinic;
afterEach(() => clinic?.close());

function tokenOf(claimId: string): string {
  const token = clinic.db
    .select({ token: claims.patientToken })
    .from(claims)
    .where(eq(claims.id, claimId))
    .get()?.token;
  if (!token) throw new Error(`no token for ${claimId}`);
  return token;
}

/** Reads the stream until `until` appears in it (or it ends), then closes it. */
async function readUntil(response: Response, until: string): Promise<string> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  while (!text.includes(until)) {
    const chunk = await reader.read();
    if (chunk.done) break;
    text += decoder.decode(chunk.value);
  }
  await reader.cancel();
  return text;
}

describe("the patient page's live feed", () => {
  it("tells an open patient page each change of its claim, and nothing else", async () => {
    clinic = createTestClinic();
    const [v1, v2, v3] = claimLifecycle();
    const other = claimLifecycle(undefined, "INV-OTHER");
    await clinic.deliver(v1);
    await clinic.deliver(other[0]);
    clinic.processor.processPending();

    const response = await clinic.app.request(`${PATIENT_EVENTS_PATH}/${tokenOf(v1.data.claimId)}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");

    const reading = readUntil(response, '"version":3');
    // Let the stream subscribe before the changes happen.
    await new Promise((resolve) => setTimeout(resolve, 50));
    await clinic.deliver(other[1]); // another claim's change: not for this page
    await clinic.deliver(v2);
    clinic.processor.processPending();
    await clinic.deliver(v3);
    clinic.processor.processPending();
    const text = await reading;

    expect(text).toContain("event: ready");
    const events = [...text.matchAll(/event: status\ndata: (.*)\n/g)].map((m) => m[1]);
    expect(events).toEqual(['{"version":2}', '{"version":3}']);
    // No id, reference or status of this claim or any other.
    for (const hidden of [v1.data.claimId, other[0].data.claimId, "INV-", "approved"]) {
      expect(text).not.toContain(hidden);
    }
  });

  it("opens no stream for a token that opens no claim, and answers every such token alike", async () => {
    clinic = createTestClinic();
    const [v1] = claimLifecycle();
    await clinic.deliver(v1);
    clinic.processor.processPending();
    const real = tokenOf(v1.data.claimId);
    const oneOff = `${real.slice(0, -1)}${real.endsWith("A") ? "B" : "A"}`;

    const answers = [];
    for (const token of [oneOff, "A".repeat(32), "not-a-token", "x".repeat(300), "a/b", ""]) {
      const response = await clinic.app.request(`${PATIENT_EVENTS_PATH}/${token}`);
      answers.push({
        status: response.status,
        headers: [...response.headers.entries()].filter(([name]) => name !== "date"),
        body: await response.text(),
      });
    }
    expect(answers[0]).toEqual({
      status: 404,
      headers: [
        ["cache-control", "no-store"],
        ["content-type", "application/json"],
        ["referrer-policy", "no-referrer"],
      ],
      body: '{"error":"Not found"}',
    });
    for (const answer of answers) expect(answer).toEqual(answers[0]);
  });
});
