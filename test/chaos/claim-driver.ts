import { setTimeout as sleep } from "node:timers/promises";
import type { DecideClaimInput } from "@claimwire/contracts";
import type { createInsurerClient } from "@claimwire/sdk";
import { sampleClaim } from "../src/harness/sample-claim.ts";

type InsurerClient = ReturnType<typeof createInsurerClient>;

/** A staff decision without its claim (Omit over each member of the union). */
type Decision = DecideClaimInput extends infer D
  ? D extends unknown
    ? Omit<D, "claimId">
    : never
  : never;

/** One step of a claim's life after `submitted`: a staff decision or the clinic withdrawing. */
type Step = { by: "insurer"; decide: Decision } | { by: "clinic" };

const review: Step = { by: "insurer", decide: { to: "in_review" } };
const needsInfo: Step = {
  by: "insurer",
  decide: { to: "needs_info", reasonCodes: ["MISSING_REFERRAL"] },
};
const pay: Step = { by: "insurer", decide: { to: "paid", paymentReference: "PAY-CHAOS-1" } };

/**
 * Paths through the state machine (contracts/src/claim-status.ts), each ending in a
 * terminal status, so every kind of event is delivered. 4.25 status changes per claim on
 * average (the submission counts: it is the claim.submitted event).
 */
const PATHS: readonly (readonly Step[])[] = [
  [review, needsInfo, review, { by: "insurer", decide: { to: "approved" } }, pay],
  [
    review,
    {
      by: "insurer",
      decide: { to: "partially_approved", approvedAmount: 9_000, reasonCodes: ["NOT_COVERED"] },
    },
    pay,
  ],
  [review, { by: "insurer", decide: { to: "rejected", reasonCodes: ["DUPLICATE_CLAIM"] } }],
  [review, needsInfo, { by: "clinic" }],
];

export type DriverClinic = { name: string; client: InsurerClient };

export type DriveStats = {
  claims: number;
  /** Status changes the insurer committed (each is one claim event). */
  changes: number;
  /** Calls that failed (insurer down or restarting) and were confirmed or retried. */
  retriedCalls: number;
};

export function newDriveStats(): DriveStats {
  return { claims: 0, changes: 0, retriedCalls: 0 };
}

export type DriveOptions = {
  clinics: readonly DriverClinic[];
  staff: InsurerClient;
  /** Stop starting new claims once this many status changes are planned… */
  changes: number;
  /** …and this returns false (keeps load on while faults are still being injected). */
  keepGoing?: () => boolean;
  /** Updated as the run goes, so faults can wait for load. */
  stats: DriveStats;
  /** Claims moving at once. */
  concurrency: number;
  /** Abort to stop early (a failed run). */
  signal?: AbortSignal;
  /** Tells this drive's claims from an earlier one's in the same system (their references). */
  burst?: string;
  /** At most this many status changes per second on average (default: as fast as taken). */
  perSecond?: number;
};

/**
 * Drives claims through their lives as fast as the insurer takes them, across the
 * clinics in turn, while faults happen. A call can fail because the insurer was killed
 * before or after it committed: a failed call is settled by reading the claim back
 * (its version says whether the change is in) and retried only if it is not, so every
 * change is made exactly once whatever the insurer's outages.
 */
export async function driveClaims(opts: DriveOptions): Promise<DriveStats> {
  const { stats } = opts;
  let planned = 0;
  let next = 0;
  const startedAt = Date.now();

  /** Waits while the drive is ahead of `perSecond`. */
  async function paced(): Promise<void> {
    if (!opts.perSecond) return;
    while (stats.changes >= ((Date.now() - startedAt) / 1000) * opts.perSecond) {
      opts.signal?.throwIfAborted();
      await sleep(20);
    }
  }

  async function settle<T>(call: () => Promise<T>, done: () => Promise<T | undefined>) {
    for (;;) {
      opts.signal?.throwIfAborted();
      try {
        return await call();
      } catch (error) {
        stats.retriedCalls += 1;
        // Wait until the insurer answers again, then see whether the change is in.
        for (;;) {
          opts.signal?.throwIfAborted();
          await sleep(100);
          try {
            const result = await done();
            if (result !== undefined) return result;
            break;
          } catch {
            // Still down: keep waiting.
          }
        }
        if (!isTransient(error)) {
          // The insurer refused it for a reason of its own and the change is not in.
          throw error;
        }
      }
    }
  }

  async function lane(): Promise<void> {
    while (planned < opts.changes || opts.keepGoing?.()) {
      opts.signal?.throwIfAborted();
      const index = next++;
      const clinic = opts.clinics[index % opts.clinics.length]!;
      const path = PATHS[index % PATHS.length]!;
      planned += 1 + path.length;
      const input = sampleClaim({
        clinicReference: `CHAOS-${opts.burst ? `${opts.burst}-` : ""}${clinic.name}-${index}`,
      });
      await paced();
      // claims.submit is idempotent on the clinic's reference: repeating it is the check.
      const claim = await settle(
        () => clinic.client.claims.submit.mutate(input),
        () => clinic.client.claims.submit.mutate(input),
      );
      stats.claims += 1;
      stats.changes += 1;
      let version = claim.version;
      for (const step of path) {
        await paced();
        const expected = version + 1;
        const reached = async () => {
          const current = await clinic.client.claims.byId.query({ claimId: claim.id });
          return current.version >= expected ? current : undefined;
        };
        const changed = await settle(
          () =>
            step.by === "clinic"
              ? clinic.client.claims.withdraw.mutate({ claimId: claim.id })
              : opts.staff.claims.decide.mutate({
                  claimId: claim.id,
                  ...step.decide,
                } as DecideClaimInput),
          reached,
        );
        version = changed.version;
        stats.changes += 1;
      }
    }
  }

  await Promise.all(Array.from({ length: opts.concurrency }, () => lane()));
  return stats;
}

/** Connection refused or reset, or a 5xx on the way: the insurer was down, not unwilling. */
function isTransient(error: unknown): boolean {
  const code = (error as { data?: { httpStatus?: number } }).data?.httpStatus;
  return code === undefined || code >= 500;
}
