import { type Claim, ClaimEventSchema, canTransition, isTerminal } from "@claimwire/contracts";
import { ensureClinicWithKey, resolvePrincipal } from "@claimwire/insurer-domain";
import { seededRandom, waitFor } from "@claimwire/testing";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  checkOutboxAndStop,
  claimInput,
  startTestInsurer,
  type TestInsurer,
} from "../src/testing/harness.ts";

let h: TestInsurer;

beforeAll(async () => {
  // 10^7 simulated seconds per second: 20 business days pass in about a quarter second.
  h = await startTestInsurer({
    env: {
      ADJUDICATION_SIMULATOR: "true",
      SIMULATOR_TIME_SCALE: "10000000",
      SIMULATOR_CLINICS: "all",
    },
    random: seededRandom(42),
  });
});
afterAll(() => checkOutboxAndStop(h));

describe("adjudication simulator", () => {
  it("moves every submitted claim to an end through legal steps, one event each", async () => {
    const { caller } = await h.newClinic();
    // Claims already waiting when the simulator starts are picked up too.
    const early = await caller.claims.submit(claimInput());
    await h.insurer.simulator!.start();
    const claims: Claim[] = [early];
    for (let i = 0; i < 30; i++) claims.push(await caller.claims.submit(claimInput()));

    const current = () => Promise.all(claims.map((c) => caller.claims.byId({ claimId: c.id })));
    await waitFor(
      "every simulated claim to reach a final status",
      async () => (await current()).every((c) => isTerminal(c.status)),
      {
        timeoutMs: 30_000,
      },
    );
    const final = await current();
    expect(final.every((c) => c.status === "paid" || c.status === "rejected")).toBe(true);
    expect(final.some((c) => c.status === "paid")).toBe(true);

    for (const claim of final) {
      const { events } = h.store.tables;
      const history = (
        await h.store.db
          .select()
          .from(events)
          .where(eq(events.claimId, claim.id))
          .orderBy(events.seq)
      ).map((row) => ClaimEventSchema.parse(row.payload));
      expect(history.map((e) => e.data.version)).toEqual(history.map((_, i) => i + 1));
      history.slice(1).forEach((next, i) => {
        const prev = history[i]!;
        expect(canTransition(prev.data.status, next.data.status, "insurer")).toBe(true);
      });
      expect(history.at(-1)?.data.status).toBe(claim.status);
    }
  });
});

describe("adjudication simulator, by default", () => {
  it("decides the demo clinic's claims only: an integrator's own claims wait for them", async () => {
    const demoKey = "cw_clinic_demo_key_for_the_simulator_test";
    const own = await startTestInsurer({
      env: {
        ADJUDICATION_SIMULATOR: "true",
        SIMULATOR_TIME_SCALE: "10000000",
        DEMO_CLINIC_API_KEY: demoKey,
      },
      random: seededRandom(7),
    });
    try {
      const demo = await ensureClinicWithKey(own.insurer.services, "Demo Clinic", demoKey);
      const principal = await resolvePrincipal(own.insurer.services, demoKey);
      expect(principal).toEqual({ role: "clinic", clinicId: demo.id });
      const demoCaller = own.caller(principal);
      const integrator = await own.newClinic("Integrator's clinic");
      await own.insurer.simulator!.start();
      // The integrator's first: they have had longer than the demo's when those are done.
      const ownClaims = await Promise.all(
        Array.from({ length: 5 }, () => integrator.caller.claims.submit(claimInput())),
      );
      const demoClaims = await Promise.all(
        Array.from({ length: 5 }, () => demoCaller.claims.submit(claimInput())),
      );
      await waitFor("the demo clinic's claims to reach a final status", async () => {
        const now = await Promise.all(
          demoClaims.map((c) => demoCaller.claims.byId({ claimId: c.id })),
        );
        return now.every((c) => isTerminal(c.status));
      });
      // By then the simulator has had every chance at the others: they were never touched.
      const untouched = await Promise.all(
        ownClaims.map((c) => integrator.caller.claims.byId({ claimId: c.id })),
      );
      expect(untouched.map((c) => [c.status, c.version])).toEqual(
        ownClaims.map(() => ["submitted", 1]),
      );
    } finally {
      await checkOutboxAndStop(own);
    }
  });
});
