import { fileURLToPath } from "node:url";
import { WEBHOOK_EVENT_EXAMPLES } from "@claimwire/contracts";
import { readClinicDb } from "@claimwire/e2e/harness";
import { newId } from "@claimwire/ids";
import { spawnProcess, waitFor } from "@claimwire/testing";
import { buildWebhookHeaders } from "@claimwire/webhooks";
import { Pool } from "undici";
import type { Bench, Clinic } from "../bench-system.ts";
import { startCpuMeter } from "../cpu-time.ts";
import { closedLoop, sleep } from "../load.ts";
import type { Progress } from "../progress.ts";
import { median, round } from "../stats.ts";

export type ThroughputResult = {
  /** Signed POSTs straight to the clinic's receiver (verify + inbox commit + 204). */
  physicalLimitPerSec: number;
  /** The same POSTs to a bare receiver process that only verifies and answers 204. */
  verifyOnlyPerSec: number;
  /** The same POSTs to a bare `node:http` process that answers 204 without verifying. */
  bare204PerSec: number;
  /** Status changes committed through the insurer API until the clinic's 2xx. */
  endToEndPerSec: number;
  /** The same API calls for a clinic without endpoints: nothing to deliver. */
  insurerMutationsOnlyPerSec: number;
  endToEndOverPhysical: number;
  endToEndOverVerifyOnly: number;
  endToEndOverBare204: number;
  endToEndOverMutationsOnly: number;
  rounds: {
    physicalPerSec: number;
    verifyOnlyPerSec: number;
    bare204PerSec: number;
    endToEndPerSec: number;
    mutationsOnlyPerSec: number;
  }[];
  /**
   * CPU ms per event of each process (and their sum) in the last round's phases: what
   * bounds each rate on this machine (cores × 1,000 CPU-ms a second).
   */
  cpuMsPerEvent: {
    physical: Record<string, number>;
    verifyOnly: Record<string, number>;
    bare204: Record<string, number>;
    endToEnd: Record<string, number>;
    mutationsOnly: Record<string, number>;
  };
  settings: { physicalPosts: number; endToEndEvents: number; concurrency: number };
};

/**
 * Five measurements side by side, repeated `rounds` times alternately
 * so a noisy neighbour hurts all alike; the median of each is reported. The three limits
 * take the same signed POSTs: to the clinic's receiver, to a receiver that only verifies
 * (verifying-receiver.ts) and to the bare 204 server (`bareUrl`), so the end-to-end rate
 * can be read against HTTP alone, HTTP plus the signature, and the clinic.
 */
export async function measureThroughput(
  bench: Bench,
  quiet: Clinic,
  progress: Progress,
  opts: {
    physicalPosts: number;
    endToEndEvents: number;
    concurrency: number;
    rounds: number;
    bareUrl: string;
  },
  pids: () => Record<string, number>,
): Promise<ThroughputResult> {
  const secret = clinicSecret(bench);
  const verifier = await startVerifyingReceiver(secret);
  try {
    return await measureRounds(bench, quiet, progress, opts, secret, verifier.url, () => ({
      ...pids(),
      "verify-only receiver": verifier.pid,
    }));
  } finally {
    await verifier.stop();
  }
}

async function measureRounds(
  bench: Bench,
  quiet: Clinic,
  progress: Progress,
  opts: {
    physicalPosts: number;
    endToEndEvents: number;
    concurrency: number;
    rounds: number;
    bareUrl: string;
  },
  secret: string,
  verifierUrl: string,
  pids: () => Record<string, number>,
): Promise<ThroughputResult> {
  const rounds: ThroughputResult["rounds"] = [];
  const cpu = {
    physical: {},
    verifyOnly: {},
    bare204: {},
    endToEnd: {},
    mutationsOnly: {},
  } as ThroughputResult["cpuMsPerEvent"];
  const perEvent = (used: Record<string, number>, events: number) => {
    const table = Object.fromEntries(
      Object.entries(used).map(([name, ms]) => [name, round(ms / events, 2)]),
    );
    table.total = round(
      Object.values(used).reduce((sum, ms) => sum + (Number.isFinite(ms) ? ms : 0), 0) / events,
      2,
    );
    return table;
  };
  for (let r = 0; r < opts.rounds; r++) {
    progress.phase(
      `throughput: round ${r + 1}/${opts.rounds}, raw POSTs to the receiver`,
      opts.physicalPosts,
    );
    const tick = (n: number) => progress.tick(n);
    let requests = signedRequests(bench, secret, opts.physicalPosts);
    let meter = startCpuMeter(pids());
    const physicalPerSec = await postAll(
      bench.system.clinicUrl,
      "/webhooks/insurer",
      requests,
      opts.concurrency,
      tick,
    );
    cpu.physical = perEvent(meter.stop(), opts.physicalPosts);
    await settle(bench);
    progress.phase(
      `throughput: round ${r + 1}/${opts.rounds}, raw POSTs to a verify-only receiver`,
      opts.physicalPosts,
    );
    requests = signedRequests(bench, secret, opts.physicalPosts);
    meter = startCpuMeter(pids());
    const verifyOnlyPerSec = await postAll(verifierUrl, "/", requests, opts.concurrency, tick);
    cpu.verifyOnly = perEvent(meter.stop(), opts.physicalPosts);
    progress.phase(
      `throughput: round ${r + 1}/${opts.rounds}, raw POSTs to a bare 204 server`,
      opts.physicalPosts,
    );
    meter = startCpuMeter(pids());
    const bare204PerSec = await postAll(opts.bareUrl, "/", requests, opts.concurrency, tick);
    cpu.bare204 = perEvent(meter.stop(), opts.physicalPosts);
    progress.phase(`throughput: round ${r + 1}/${opts.rounds}, end to end`, opts.endToEndEvents);
    meter = startCpuMeter(pids());
    const endToEndPerSec = await endToEnd(bench, opts.endToEndEvents, opts.concurrency, (n) =>
      progress.tick(n),
    );
    cpu.endToEnd = perEvent(meter.stop(), opts.endToEndEvents);
    await settle(bench);
    progress.phase(
      `throughput: round ${r + 1}/${opts.rounds}, insurer mutations, delivery off`,
      opts.endToEndEvents,
    );
    meter = startCpuMeter(pids());
    const run = await closedLoop(
      opts.endToEndEvents,
      opts.concurrency,
      () => bench.submit(quiet),
      (n) => progress.tick(n),
    );
    cpu.mutationsOnly = perEvent(meter.stop(), opts.endToEndEvents);
    const mutationsOnlyPerSec = (opts.endToEndEvents - run.failures) / (run.elapsedMs / 1000);
    await settle(bench);
    rounds.push({
      physicalPerSec: round(physicalPerSec),
      verifyOnlyPerSec: round(verifyOnlyPerSec),
      bare204PerSec: round(bare204PerSec),
      endToEndPerSec: round(endToEndPerSec),
      mutationsOnlyPerSec: round(mutationsOnlyPerSec),
    });
    progress.log(
      `  round ${r + 1}: raw ${round(physicalPerSec)}/s (verify only ${round(verifyOnlyPerSec)}/s, ` +
        `bare 204 ${round(bare204PerSec)}/s), end to end ${round(endToEndPerSec)}/s, ` +
        `mutations only ${round(mutationsOnlyPerSec)}/s`,
    );
  }
  const physical = median(rounds.map((r) => r.physicalPerSec));
  const verifyOnly = median(rounds.map((r) => r.verifyOnlyPerSec));
  const bare204 = median(rounds.map((r) => r.bare204PerSec));
  const e2e = median(rounds.map((r) => r.endToEndPerSec));
  const mutations = median(rounds.map((r) => r.mutationsOnlyPerSec));
  return {
    physicalLimitPerSec: physical,
    verifyOnlyPerSec: verifyOnly,
    bare204PerSec: bare204,
    endToEndPerSec: e2e,
    insurerMutationsOnlyPerSec: mutations,
    endToEndOverPhysical: round(e2e / physical, 3),
    endToEndOverVerifyOnly: round(e2e / verifyOnly, 3),
    endToEndOverBare204: round(e2e / bare204, 3),
    endToEndOverMutationsOnly: round(e2e / mutations, 3),
    rounds,
    cpuMsPerEvent: cpu,
    settings: {
      physicalPosts: opts.physicalPosts,
      endToEndEvents: opts.endToEndEvents,
      concurrency: opts.concurrency,
    },
  };
}

/** The secret of the clinic's endpoint, as the insurer signs with it. */
function clinicSecret(bench: Bench): string {
  return readClinicDb(bench.system.clinicDbPath, (db) => {
    const row = db.prepare("SELECT secret FROM endpoint_registration").get() as
      | { secret: string }
      | undefined;
    if (!row) throw new Error("the clinic has no endpoint registration");
    return row.secret;
  });
}

type SignedRequest = { body: string; headers: Record<string, string> };

/**
 * Bodies as a real delivery's, each with a new webhook-id (the clinic stores every one),
 * signed before the clock starts: signing is the worker's cost, not the limit's.
 */
function signedRequests(bench: Bench, secret: string, count: number): SignedRequest[] {
  const example = WEBHOOK_EVENT_EXAMPLES["claim.submitted"];
  const timestamp = Math.floor(Date.now() / 1000);
  return Array.from({ length: count }, () => {
    const msgId = newId("event");
    const body = JSON.stringify({
      ...example,
      timestamp: new Date().toISOString(),
      data: { ...example.data, claimId: newId("claim"), clinicId: bench.clinic.id },
    });
    const headers = buildWebhookHeaders({ secrets: [secret], msgId, timestamp, body });
    return { body, headers: { ...headers, "content-type": "application/json" } };
  });
}

/**
 * Signed POSTs made with undici as fast as they go (`concurrency` in flight), each
 * answered 204: to the clinic's receiver this is the same work as a real delivery (verify,
 * inbox insert, 204; the processor applies them after).
 */
async function postAll(
  baseUrl: string,
  path: string,
  requests: readonly SignedRequest[],
  concurrency: number,
  onDone: (n: number) => void,
): Promise<number> {
  const pool = new Pool(baseUrl, { connections: concurrency });
  try {
    const run = await closedLoop(
      requests.length,
      concurrency,
      async (i) => {
        const req = requests[i]!;
        const res = await pool.request({
          path,
          method: "POST",
          headers: req.headers,
          body: req.body,
        });
        await res.body.dump();
        if (res.statusCode !== 204) throw new Error(`${baseUrl} answered ${res.statusCode}`);
      },
      onDone,
    );
    if (run.failures > 0) throw new Error(`${run.failures} raw POSTs to ${baseUrl} failed`);
    return requests.length / (run.elapsedMs / 1000);
  } finally {
    await pool.close();
  }
}

/** verifying-receiver.ts as its own process, like the clinic, so its CPU is its own. */
async function startVerifyingReceiver(
  secret: string,
): Promise<{ pid: number; url: string; stop(): Promise<void> }> {
  const script = fileURLToPath(new URL("../verifying-receiver.ts", import.meta.url));
  const child = spawnProcess(
    "verify-only receiver",
    process.execPath,
    ["--import", "tsx", script],
    {
      cwd: fileURLToPath(new URL("../..", import.meta.url)),
      env: { ...process.env, VERIFY_SECRET: secret },
    },
  );
  const port = await child.waitForLine("its port", (line) => Number(line.trim()) || undefined);
  return { pid: child.pid, url: `http://127.0.0.1:${port}`, stop: () => child.kill("SIGTERM") };
}

/**
 * Claims submitted through the insurer API (each commit is a status change and its
 * event), counted until the clinic's receiver has stored every one: from the first
 * call to the last arrival.
 */
export async function endToEnd(
  bench: Bench,
  count: number,
  concurrency: number,
  onArrived: (n: number) => void,
): Promise<number> {
  const afterSeq = bench.lastSeq();
  const before = bench.inboxCount();
  const startedAt = Date.now();
  const submitting = closedLoop(count, concurrency, () => bench.submit(bench.clinic));
  await waitFor(
    `all ${count} webhooks in the clinic's inbox`,
    () => {
      const arrived = bench.inboxCount() - before;
      onArrived(arrived);
      if (arrived < count) throw new Error(`only ${arrived}/${count} arrived`);
      return true;
    },
    { timeoutMs: 120_000 + count * 20, intervalMs: 200 },
  );
  const { failures } = await submitting;
  if (failures > 0) throw new Error(`${failures} submits failed`);
  const arrivals = bench.inboxTimes(new Set(bench.commitTimes(bench.clinic.id, afterSeq).keys()));
  const lastArrival = Math.max(...arrivals.values());
  return count / ((lastArrival - startedAt) / 1000);
}

/** Waits until the clinic has processed its inbox, so one phase's tail is not the next one's load. */
export async function settle(bench: Bench, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (bench.inboxPending() > 0 && Date.now() < deadline) await sleep(250);
  await sleep(500);
}
