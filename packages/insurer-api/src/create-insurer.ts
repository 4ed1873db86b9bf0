import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { parseAllowList } from "@claimwire/address-policy";
import type { LeaseName, Store } from "@claimwire/insurer-db";
import type { Services } from "@claimwire/insurer-domain";
import {
  type AdjudicationSimulator,
  type AttemptRecorder,
  clinicOfApiKey,
  createAdjudicationSimulator,
  createAttemptRecorder,
  createDispatcher,
  createFeedWaiters,
  createInsurerMetrics,
  createOutboxSignal,
  createRateLimiter,
  type Dispatcher,
  hashApiKey,
  syncAllEndpointConfigs,
} from "@claimwire/insurer-domain";
import { DUPLICATE_WINDOW_MS, type Queue, watchConnectionState } from "@claimwire/queue";
import { createDrainGate, type ReadinessChecks } from "@claimwire/service";
import type { Logger } from "pino";
import type { Env } from "./env.ts";
import { createHttpServer, PROBE_PATHS } from "./http-server.ts";

export type InsurerDeps = {
  env: Env;
  /** Opened and migrated (@claimwire/insurer-db's openStore); the caller closes it after stop(). */
  store: Store;
  /** Opened with openQueue; the caller closes it after stop(). */
  queue: Queue;
  log: Logger;
  /** The simulator's random source (tests pass a seeded one). */
  random?: () => number;
  /** The retry jitter's random source (tests pass a fixed one). */
  retryRandom?: () => number;
  /** The clock of idempotency expiry and rate limits (tests pass a fake one). */
  now?: () => number;
  /** The built console served at /console/ (apps/insurer resolves it); absent: not served. */
  consoleDir?: string | null;
};

export type Insurer = {
  services: Services;
  server: Server;
  recorder: AttemptRecorder;
  dispatcher: Dispatcher;
  simulator: AdjudicationSimulator | null;
  /**
   * Syncs endpoints to KV, starts the recorder, asks for the dispatcher's (and the
   * simulator's) lease, listens; `url` is the tRPC base URL.
   */
  start(): Promise<{ url: string; baseUrl: string }>;
  /**
   * The SIGTERM path: /readyz turns 503 and new requests get 503 at once; the requests
   * running finish, then the listener closes and everything `stop()` stops stops. The
   * caller bounds it (SHUTDOWN_TIMEOUT_MS) and closes the queue and store after.
   */
  drain(): Promise<void>;
  /** Stops at once: open connections are cut (tests, and what `drain` ends with). */
  stop(): Promise<void>;
  /** What /readyz asks, by name. */
  readiness: ReadinessChecks;
  /** Whether this process holds a lease now (does that background work). */
  holds(lease: LeaseName): boolean;
};

/** A database that does not answer a one-row read in this long is not ready. */
const DATABASE_PROBE_TIMEOUT_MS = 2_000;
/** How often a draining server closes the connections whose last request has ended. */
const IDLE_SWEEP_MS = 50;

/** undefined once `query` answers, "no answer" after `ms`, "unavailable" if it fails. */
async function answersWithin(ms: number, query: PromiseLike<unknown>): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve("no answer"), ms);
  });
  const answer = Promise.resolve(query).then(
    () => undefined,
    () => "unavailable",
  );
  try {
    return await Promise.race([answer, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Builds the insurer from opened resources without starting anything, so tests can use
 * `services` through createCaller alone, or start the whole process in-process.
 */
export function createInsurer(deps: InsurerDeps): Insurer {
  const { env, store, queue, log } = deps;
  const outbox = createOutboxSignal();
  const services: Services = {
    store,
    outbox,
    endpointConfigs: queue.endpoints,
    js: queue.js,
    staffKeyHash: hashApiKey(env.INSURER_STAFF_API_KEY),
    delivery: {
      retry: {
        schedule: env.DELIVERY_RETRY_SCHEDULE,
        jitter: env.DELIVERY_RETRY_JITTER,
        ...(deps.retryRandom ? { random: deps.retryRandom } : {}),
      },
      disableAfterMs: env.ENDPOINT_DISABLE_AFTER_MS,
      failingAfterAttempts: env.DELIVERY_FAILING_AFTER_ATTEMPTS,
      secretOverlapMs: env.ENDPOINT_SECRET_OVERLAP_MS,
      allowHttp: env.ENDPOINT_ALLOW_HTTP,
      allowedNetworks: parseAllowList(env.ENDPOINT_ALLOW_PRIVATE_NETWORKS),
    },
    feed: {
      retentionMs: env.EVENT_RETENTION_DAYS * 24 * 60 * 60 * 1000,
      waiters: createFeedWaiters({
        store,
        outbox,
        maxPerFeed: env.EVENT_FEED_MAX_WAITERS_PER_CLINIC,
      }),
    },
    metrics: createInsurerMetrics({ store, jsm: queue.jsm, log }),
    idempotency: { ttlMs: env.IDEMPOTENCY_TTL_MS, now: deps.now ?? Date.now },
    rateLimiter: createRateLimiter(store, {
      perSecond: env.RATE_LIMIT_PER_SECOND,
      burst: env.RATE_LIMIT_BURST,
      now: deps.now ?? Date.now,
    }),
    log,
  };
  // Once draining, every request but the probes and /metrics gets 503, so clients retry
  // on another process (or this one, restarted) while the requests already running finish.
  const gate = createDrainGate({
    exempt: PROBE_PATHS,
    refuse: (c) => {
      c.header("retry-after", "1");
      return c.json({ error: "insurer shutting down; retry" }, 503);
    },
  });
  const connection = watchConnectionState(queue.nc);
  let consuming = false;
  const readiness: ReadinessChecks = {
    draining: () => (gate.draining() ? "draining" : undefined),
    database: () =>
      answersWithin(
        DATABASE_PROBE_TIMEOUT_MS,
        store.db.select({ id: store.tables.clinics.id }).from(store.tables.clinics).limit(1),
      ),
    nats: () => connection.problem(),
    // The attempt reports' consumer: every process records them (bound once start() runs).
    consumer: () => (consuming ? undefined : "not consuming"),
  };
  const server = createHttpServer(services, {
    consoleDir: deps.consoleDir ?? null,
    readiness,
    drainGate: gate.middleware,
  });
  // A recorded attempt frees room in its endpoint's window (delivery/due-deliveries.ts).
  const recorder = createAttemptRecorder({
    services,
    onRecorded: () => dispatcher.roomFreed(),
    onBound: (bound) => {
      consuming = bound;
    },
  });
  const dispatcher = createDispatcher({
    store,
    js: queue.js,
    jsm: queue.jsm,
    log,
    signal: outbox,
    intervalMs: env.DELIVERY_SCHEDULER_INTERVAL_MS,
    batchSize: env.DELIVERY_SCHEDULER_BATCH,
    maxInFlightPerEndpoint: env.ENDPOINT_DEFAULT_MAX_CONCURRENCY,
    stuckTimeoutMs: env.DELIVERY_STUCK_TIMEOUT_MS,
    duplicateWindowMs: DUPLICATE_WINDOW_MS,
  });
  const simulator = env.ADJUDICATION_SIMULATOR
    ? createAdjudicationSimulator({
        services,
        timeScale: env.SIMULATOR_TIME_SCALE,
        log,
        clinics: async () => {
          const scope = env.SIMULATOR_CLINICS;
          if (scope === "all") return "all";
          if (scope !== "demo") return new Set(scope);
          const demo = await clinicOfApiKey(services, env.DEMO_CLINIC_API_KEY);
          if (!demo) log.warn("SIMULATOR_CLINICS=demo, and no clinic has DEMO_CLINIC_API_KEY");
          return new Set(demo ? [demo] : []);
        },
        ...(deps.random ? { random: deps.random } : {}),
      })
    : null;

  /** The leases this process asked for, and the other processes' commits it follows. */
  const held: { release(): Promise<void> }[] = [];
  const holding = new Set<LeaseName>();
  let unwatch: (() => void) | undefined;

  /** Asks for `name`'s lease: while this process holds it, it does that work. */
  function doWhileHeld(name: LeaseName, work: { start(): void; stop(): void }): void {
    const set = (on: boolean) => {
      if (on) holding.add(name);
      else holding.delete(name);
      services.metrics.leaseHeld(name, on);
      log.info({ lease: name, held: on }, on ? "lease taken" : "lease lost");
    };
    held.push(
      store.lease(name, {
        onHeld: () => {
          set(true);
          work.start();
        },
        onLost: () => {
          set(false);
          work.stop();
        },
      }),
    );
  }

  return {
    services,
    server,
    recorder,
    dispatcher,
    simulator,
    async start() {
      const synced = await syncAllEndpointConfigs(services);
      log.info({ endpoints: synced }, "endpoint configs synced to KV");
      // Every process records reports (they share ATTEMPTS' consumer) and serves the API;
      // one at a time dispatches, so per-endpoint windows and rate limits hold
      // (docs/deploy.md). Another process's commit wakes this one's dispatcher and long polls.
      unwatch = store.onEventsCommitted(() => outbox.notify());
      recorder.start();
      doWhileHeld("dispatcher", {
        start: () => dispatcher.start(),
        stop: () => void dispatcher.stop(),
      });
      if (simulator) {
        doWhileHeld("simulator", {
          start: () =>
            simulator.start().catch((err: unknown) => log.error({ err }, "simulator failed")),
          stop: () => simulator.stop(),
        });
      }
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(env.INSURER_PORT, env.INSURER_HOST, () => {
          server.off("error", reject);
          resolve();
        });
      });
      const { port } = server.address() as AddressInfo;
      const baseUrl = `http://${env.INSURER_HOST}:${port}`;
      return { url: `${baseUrl}/trpc`, baseUrl };
    },
    holds: (lease) => holding.has(lease),
    readiness,
    async drain() {
      const requestsEnded = gate.drain();
      // Long polls answer now (with what they have) rather than hold the drain.
      services.feed.waiters.close();
      // Still listening meanwhile: probes read 503 and new requests are turned away.
      await requestsEnded;
      if (server.listening) {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        // Keep-alive connections go as soon as they are idle: now, or once their request ends.
        const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
        server.closeIdleConnections();
        await closed.finally(() => clearInterval(sweep));
      }
      await this.stop();
    },
    async stop() {
      // Probes say "draining" from now on; what is running is cut below.
      void gate.drain();
      // Stop taking requests first, so no change commits after the relay's last round.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      if (server.listening) await closed;
      // Long polls of in-process callers end now (HTTP ones ended with their connections).
      services.feed.waiters.close();
      unwatch?.();
      simulator?.stop();
      // Due deliveries left behind wait in the database for the next start (or for the
      // process that takes the lease over).
      await dispatcher.stop();
      await Promise.all(held.splice(0).map((lease) => lease.release()));
      for (const lease of holding) services.metrics.leaseHeld(lease, false);
      holding.clear();
      await recorder.stop();
    },
  };
}
