import { seededRandom } from "@claimwire/testing";
import type { Bench, Clinic } from "../bench-system.ts";
import { startCountingReceiver } from "../counting-receiver.ts";
import { sleep } from "../load.ts";
import type { Progress } from "../progress.ts";
import { percentile, round } from "../stats.ts";

const SECOND = 1_000;
const HOUR = 3_600 * SECOND;
const DAY = 24 * HOUR;
/** 20 business days are 4 calendar weeks. */
const TWENTY_BUSINESS_DAYS_MS = 28 * DAY;
/** events.wait's default hold (contracts: WaitEventsInputSchema). */
const LONG_POLL_TIMEOUT_MS = 25_000;

type Page = {
  items: { id: string; occurredAt: string }[];
  nextCursor: string | null;
  hasMore: boolean;
};

export type WatcherFigures = {
  watcher: string;
  /** Requests made in the compressed run (all clinics). */
  requests: number;
  emptyShare: number;
  stalenessP50Ms: number;
  stalenessP99Ms: number;
  /** Events this watcher learned of (of `events`). */
  seen: number;
  /** Requests that failed (retried after 1 s; not counted in `requests`). */
  errors: number;
  /** Requests for the same population over the real, uncompressed 20 business days. */
  projectedRequests: number;
  projectedEmptyShare: number;
};

export type WatchersResult = {
  clinics: number;
  claimsPerClinic: number;
  events: number;
  windowMs: number;
  timeScale: number;
  watchers: WatcherFigures[];
  /** Projected requests of polling every 10 s over those of webhooks (goal ≥ 100). */
  poll10sOverWebhooks: number;
};

/**
 * Review time of a claim in simulated ms, drawn like the insurer's adjudication simulator
 * draws the in_review step (packages/insurer-domain/src/simulator/adjudication-plan.ts): 40%
 * machine decisions in 5 ms–2 s, 60% human ones in 1 h–26 days, log-uniform.
 */
function reviewTimeMs(random: () => number): number {
  const logUniform = (a: number, b: number) =>
    Math.exp(Math.log(a) + random() * (Math.log(b) - Math.log(a)));
  return random() < 0.4 ? logUniform(5, 2 * SECOND) : logUniform(HOUR, 26 * DAY);
}

/**
 * The same claims, in review, decided over 20 business days compressed
 * into `windowMs`, watched at once by clinics that poll the event feed every 1 s / 10 s /
 * 60 s, that long-poll it, and that receive webhooks. Staleness is commit → the moment
 * the watcher has the event. Polling intervals are real time (the compression applies to
 * review times only), so the run's request counts are those of a compressed month; the
 * projection counts the same population over the real 20 business days.
 */
export async function measureWatchers(
  bench: Bench,
  progress: Progress,
  opts: { clinics: number; claimsPerClinic: number; windowMs: number; pollIntervalsMs: number[] },
): Promise<WatchersResult> {
  const receiver = await startCountingReceiver();
  // Seeded, so every run decides the same claims at the same times.
  const random = seededRandom(20261128);
  const timeScale = TWENTY_BUSINESS_DAYS_MS / opts.windowMs;
  try {
    progress.phase("watchers: clinics and claims in review", opts.clinics * opts.claimsPerClinic);
    const clinics: { clinic: Clinic; claimIds: string[] }[] = [];
    let prepared = 0;
    for (let c = 0; c < opts.clinics; c++) {
      const clinic = await bench.newClinic(`Bench watched clinic ${c + 1}`);
      await bench.createEndpoint(clinic, `${receiver.url}/${c}`);
      const claimIds: string[] = [];
      for (let k = 0; k < opts.claimsPerClinic; k++) {
        const claim = await bench.submit(clinic);
        await bench.decide({ claimId: claim.id, to: "in_review" });
        claimIds.push(claim.id);
        progress.tick(++prepared);
      }
      clinics.push({ clinic, claimIds });
    }
    await sleep(1_000);
    const windowStartSeq = bench.lastSeq();

    // Each watcher starts at the end of its clinic's feed, as one that has kept up.
    const cursors = new Map<string, string | null>();
    for (const { clinic } of clinics) {
      let after: string | undefined;
      for (;;) {
        const page: Page = await bench.api.query(
          "events.list",
          { ...(after ? { after } : {}), limit: 500 },
          clinic.apiKey,
        );
        after = page.nextCursor ?? after;
        if (!page.hasMore) break;
      }
      cursors.set(clinic.id, after ?? null);
    }

    type Tally = {
      requests: number;
      empty: number;
      errors: number;
      lastError?: string;
      seen: Map<string, number>;
    };
    const tallies = new Map<string, Tally>();
    const tally = (name: string) => {
      let t = tallies.get(name);
      if (!t) {
        t = { requests: 0, empty: 0, errors: 0, seen: new Map() };
        tallies.set(name, t);
      }
      return t;
    };
    let running = true;
    const stops: Promise<void>[] = [];

    const follow = async (
      name: string,
      clinic: Clinic,
      procedure: "events.list" | "events.wait",
      pauseMs: number,
    ) => {
      const t = tally(name);
      let after = cursors.get(clinic.id) ?? undefined;
      while (running) {
        const input = { ...(after ? { after } : {}), limit: 500 };
        const waitInput = { ...input, timeoutMs: LONG_POLL_TIMEOUT_MS };
        let page: Page;
        try {
          page = await bench.api.query<Page>(
            procedure,
            procedure === "events.wait" ? waitInput : input,
            clinic.apiKey,
          );
        } catch (err) {
          if (!running) return;
          t.errors++;
          t.lastError = String(err);
          await sleep(1_000);
          continue;
        }
        const now = Date.now();
        t.requests++;
        if (page.items.length === 0) t.empty++;
        for (const item of page.items) if (!t.seen.has(item.id)) t.seen.set(item.id, now);
        after = page.nextCursor ?? after;
        if (page.hasMore) continue;
        if (pauseMs > 0) await sleepUnless(pauseMs, () => !running);
      }
    };
    for (const { clinic } of clinics) {
      for (const interval of opts.pollIntervalsMs) {
        stops.push(follow(`polling every ${interval / SECOND} s`, clinic, "events.list", interval));
      }
      stops.push(follow("long polling", clinic, "events.wait", 0));
    }

    const longestInterval = Math.max(...opts.pollIntervalsMs);
    // The last review ends by 1.5 windows; the slowest poller needs one more interval.
    const totalMs = opts.windowMs * 1.5 + longestInterval + 2 * SECOND;
    progress.phase(
      `watchers: ${opts.clinics * opts.claimsPerClinic} claims decided over a compressed 20 business days`,
      Math.round(totalMs / SECOND),
    );
    const startedAt = Date.now();
    // Claims reach review spread over the first half of the window (as they are submitted
    // through a month, not all at once), then take their review time, compressed.
    const decisions = clinics.flatMap(({ claimIds }) =>
      claimIds.map(async (claimId) => {
        await sleep((random() * opts.windowMs) / 2 + reviewTimeMs(random) / timeScale);
        await bench.decide({ claimId, to: "approved" });
      }),
    );
    while (Date.now() - startedAt < totalMs) {
      progress.tick(Math.round((Date.now() - startedAt) / SECOND));
      await sleep(500);
    }
    await Promise.all(decisions);
    running = false;
    // Long polls still held end at their timeout at the latest; do not wait for them.
    void Promise.allSettled(stops);

    const commits = new Map<string, number>();
    for (const { clinic } of clinics) {
      for (const [id, at] of bench.commitTimes(clinic.id, windowStartSeq)) commits.set(id, at);
    }
    const events = commits.size;
    const webhookTally: Tally = {
      requests: [...receiver.arrivals.keys()].filter((id) => commits.has(id)).length,
      empty: 0,
      errors: 0,
      seen: new Map([...receiver.arrivals].filter(([id]) => commits.has(id))),
    };
    // Extra POSTs (retries) count as requests too.
    webhookTally.requests += Math.max(0, receiver.posts() - receiver.arrivals.size);

    const realSpanMs = TWENTY_BUSINESS_DAYS_MS;
    const figures = (name: string, t: Tally, projectedRequests: number): WatcherFigures => {
      const staleness = [...t.seen]
        .filter(([id]) => commits.has(id))
        .map(([id, at]) => at - commits.get(id)!);
      return {
        watcher: name,
        requests: t.requests,
        emptyShare: round(t.empty / Math.max(1, t.requests), 3),
        stalenessP50Ms: percentile(staleness, 50),
        stalenessP99Ms: percentile(staleness, 99),
        seen: staleness.length,
        errors: t.errors,
        projectedRequests: Math.round(projectedRequests),
        // At most one non-empty answer per event.
        projectedEmptyShare: round(Math.max(0, 1 - events / projectedRequests), 4),
      };
    };
    const watchers: WatcherFigures[] = opts.pollIntervalsMs.map((interval) =>
      figures(
        `polling every ${interval / SECOND} s`,
        tally(`polling every ${interval / SECOND} s`),
        opts.clinics * (realSpanMs / interval),
      ),
    );
    watchers.push(
      figures(
        "long polling",
        tally("long polling"),
        opts.clinics * (realSpanMs / LONG_POLL_TIMEOUT_MS) + events,
      ),
    );
    const webhookFigures = figures(
      "webhooks",
      webhookTally,
      (events * webhookTally.requests) / Math.max(1, webhookTally.seen.size),
    );
    webhookFigures.projectedEmptyShare = 0;
    watchers.push(webhookFigures);
    // The goal's yardstick is polling every 10 s, projected whether or not this run had one.
    const poll10Projected = opts.clinics * (realSpanMs / (10 * SECOND));
    return {
      clinics: opts.clinics,
      claimsPerClinic: opts.claimsPerClinic,
      events,
      windowMs: opts.windowMs,
      timeScale: Math.round(timeScale),
      watchers,
      poll10sOverWebhooks: round(poll10Projected / webhookFigures.projectedRequests, 0),
    };
  } finally {
    await receiver.close();
  }
}

async function sleepUnless(ms: number, stop: () => boolean): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until && !stop()) await sleep(Math.min(250, until - Date.now()));
}
