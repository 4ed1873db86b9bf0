/**
 * The two sizes of the chaos run. The short form runs in CI with every other test (a
 * couple of minutes); the long form, `pnpm test:chaos --long` (or CLAIMWIRE_CHAOS_LONG=1),
 * drives ten times the changes and repeats the fault rounds until they are done.
 */
export type ChaosConfig = {
  form: "short" | "long";
  /** Status changes to drive at least (each is one committed event). */
  changes: number;
  /** Claims moving at once. */
  concurrency: number;
  clinics: number;
  workers: number;
  /** The delivery consumer's ack_wait for the run (DELIVERY_ACK_WAIT_MS). */
  ackWaitMs: number;
  /** The workers' DELIVERY_TIMEOUT_MS; the fault proxy stalls past it. */
  deliveryTimeoutMs: number;
  clinicOutageMs: number;
  /** How long the system may take to finish its work after the last fault. */
  settleTimeoutMs: number;
  /** The fault proxies' seed: the same seed injects the same faults into the same requests. */
  seed: number;
};

export const LONG_FORM_ENV = "CLAIMWIRE_CHAOS_LONG";

export function chaosConfig(env: NodeJS.ProcessEnv = process.env): ChaosConfig {
  const long = env[LONG_FORM_ENV] === "1" || env[LONG_FORM_ENV] === "true";
  const seed = Number(env.CLAIMWIRE_CHAOS_SEED ?? Date.now() % 1_000_000);
  const common = { clinics: 3, workers: 2, ackWaitMs: 4_000, deliveryTimeoutMs: 1_000, seed };
  return long
    ? {
        ...common,
        form: "long",
        changes: 10_000,
        concurrency: 16,
        clinicOutageMs: 15_000,
        settleTimeoutMs: 600_000,
      }
    : {
        ...common,
        form: "short",
        changes: 1_000,
        concurrency: 12,
        clinicOutageMs: 5_000,
        settleTimeoutMs: 120_000,
      };
}

export const CLUSTER_LONG_FORM_ENV = "CLAIMWIRE_CHAOS_CLUSTER_LONG";

/**
 * The cluster form (chaos-cluster.test.ts): the same system on a three-node JetStream
 * cluster with two insurers on PostgreSQL. Short (in CI): one burst of ≥ 1,000 status
 * changes with the five faults in sequence and one verdict. Long (`pnpm test:chaos --cluster`, CLAIMWIRE_CHAOS_CLUSTER_LONG=1):
 * each fault during a burst of its own of ≥ 2,000 changes, each with its own verdict;
 * `changes` is then per burst.
 */
export function clusterChaosConfig(
  env: NodeJS.ProcessEnv = process.env,
): ChaosConfig & { perSecond: number } {
  const long = env[CLUSTER_LONG_FORM_ENV] === "1" || env[CLUSTER_LONG_FORM_ENV] === "true";
  const seed = Number(env.CLAIMWIRE_CHAOS_SEED ?? Date.now() % 1_000_000);
  return {
    form: long ? "long" : "short",
    changes: long ? 2_000 : 1_000,
    concurrency: 8,
    // Load goes on until the faults are over (about a minute): paced below what the
    // system delivers with its faulty receivers (~30 events/s here), so that no backlog
    // hides the time to recover and the short form stays short.
    // CLAIMWIRE_CHAOS_PER_SECOND=0: as fast as the insurer takes them (a backlog on purpose).
    // The short form at 16/s: its five faults take about a minute, so that is its 1,000
    // changes, with less of a retry backlog to settle and less CPU taken from the tests
    // that run beside it in `npm test`.
    perSecond: Number(env.CLAIMWIRE_CHAOS_PER_SECOND ?? (long ? 25 : 16)),
    clinics: 3,
    workers: 2,
    ackWaitMs: 4_000,
    deliveryTimeoutMs: 1_000,
    clinicOutageMs: 0,
    settleTimeoutMs: long ? 300_000 : 120_000,
    seed,
  };
}

/**
 * Delivery retries for the run: fast at first, then every 2 s for about a minute, so
 * the schedule outlasts the longest outage injected (the guarantee holds for outages
 * shorter than the retry window) and 40% faulty answers cannot use it up (0.4^35).
 */
export const CHAOS_RETRY_SCHEDULE = [
  "0s",
  "100ms",
  "250ms",
  "500ms",
  "1s",
  ...Array(35).fill("2s"),
].join(",");
