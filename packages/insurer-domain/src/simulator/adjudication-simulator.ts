import type { Claim } from "@claimwire/contracts";
import { gt, inArray, max } from "drizzle-orm";
import type { Logger } from "pino";
import { decideClaim, getClaim, toClaim } from "../domain/claims.ts";
import { DomainError } from "../domain/domain-error.ts";
import type { Services } from "../domain/services.ts";
import { type PlannedStep, planNextStep } from "./adjudication-plan.ts";

/**
 * A stand-in for the insurer's adjudicators, for demos and load tests. It moves claims
 * through the same domain functions staff use, so every step writes its event like a
 * real decision. Delays come from adjudication-plan.ts in simulated time, divided by
 * `timeScale` (simulated seconds per real second).
 */

export type AdjudicationSimulator = { start(): Promise<void>; stop(): void };

export type SimulatorOptions = {
  services: Services;
  /** Simulated seconds per real second; 86400 makes a day pass each second. */
  timeScale: number;
  random?: () => number;
  log: Logger;
  /**
   * The clinics whose claims it decides, read when it starts: "all", or a set of clinic
   * ids (by default the demo clinic only, so an integrator's own claims wait for them).
   */
  clinics?: () => Promise<ReadonlySet<string> | "all">;
};

/** setTimeout holds at most ~24.8 days; longer waits (slow time scales) re-arm. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Statuses the simulator acts on (the others are terminal or the clinic's to change). */
const ACTIONABLE = [
  "submitted",
  "in_review",
  "needs_info",
  "approved",
  "partially_approved",
] as const;

export function createAdjudicationSimulator(opts: SimulatorOptions): AdjudicationSimulator {
  const { services, log } = opts;
  const { db, tables } = services.store;
  const { claims, events } = tables;
  const random = opts.random ?? Math.random;
  const timers = new Map<string, NodeJS.Timeout>();
  // The simulator follows the event log: each new event may give its claim a next step.
  let lastSeq = 0;
  let scanQueued = false;
  let unsubscribe: (() => void) | undefined;
  let acting: ReadonlySet<string> | "all" = "all";

  function schedule(claim: Claim): void {
    if (acting !== "all" && !acting.has(claim.clinicId)) return;
    const plan = planNextStep(claim, random);
    if (!plan) return;
    const dueAt = Date.now() + plan.afterSimulatedMs / opts.timeScale;
    const arm = () => {
      const timer = setTimeout(
        () => (Date.now() >= dueAt ? void act(claim, plan) : arm()),
        Math.min(Math.max(0, dueAt - Date.now()), MAX_TIMER_MS),
      );
      timers.set(claim.id, timer);
    };
    clearTimeout(timers.get(claim.id));
    arm();
  }

  async function act(planned: Claim, plan: PlannedStep): Promise<void> {
    timers.delete(planned.id);
    try {
      // Someone else moved the claim since we planned: their event brings a new plan.
      const current = await getClaim(services, { role: "insurer" }, planned.id);
      if (current.version !== planned.version) return;
      await decideClaim(services, plan.decision);
    } catch (err) {
      if (err instanceof DomainError)
        log.debug({ err, claimId: planned.id }, "simulated step skipped");
      else log.error({ err, claimId: planned.id }, "simulated step failed");
    }
  }

  async function followEvents(): Promise<void> {
    scanQueued = false;
    if (!unsubscribe) return; // stopped meanwhile
    const rows = await db
      .select({ seq: events.seq, claimId: events.claimId, version: events.version })
      .from(events)
      .where(gt(events.seq, lastSeq))
      .orderBy(events.seq);
    for (const row of rows) {
      if (row.seq <= lastSeq) continue; // an overlapping scan took it
      lastSeq = row.seq;
      // Operational events (endpoint.disabled) belong to no claim.
      if (row.claimId === null) continue;
      const claim = await getClaim(services, { role: "insurer" }, row.claimId);
      if (claim.version === row.version && unsubscribe !== undefined) schedule(claim);
    }
  }

  /** One scan at a time, each after the commits that called for it. */
  let scanning: Promise<void> = Promise.resolve();

  return {
    async start() {
      if (unsubscribe) return;
      acting = (await opts.clinics?.()) ?? "all";
      log.info(
        { clinics: acting === "all" ? "all" : [...acting] },
        "adjudication simulator deciding claims",
      );
      // Pick up where a previous run left off: every claim still waiting for a step.
      const [newest] = await db.select({ seq: max(events.seq) }).from(events);
      lastSeq = newest?.seq ?? 0;
      const waiting = await db
        .select()
        .from(claims)
        .where(inArray(claims.status, [...ACTIONABLE]));
      for (const row of waiting) schedule(toClaim(row));
      // Commit notifications arrive inside the committing call; scan after it returns.
      unsubscribe = services.outbox.subscribe(() => {
        if (scanQueued) return;
        scanQueued = true;
        scanning = scanning.then(
          () =>
            new Promise<void>((resolve) =>
              setImmediate(() =>
                followEvents()
                  .catch((err: unknown) => log.error({ err }, "simulator scan failed"))
                  .then(resolve),
              ),
            ),
        );
      });
    },
    stop() {
      unsubscribe?.();
      unsubscribe = undefined;
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
    },
  };
}
