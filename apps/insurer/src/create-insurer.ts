import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Queue } from "@claimwire/queue";
import type { Logger } from "pino";
import { type AttemptRecorder, createAttemptRecorder } from "./attempts/attempt-recorder.ts";
import type { Db } from "./db/open-database.ts";
import { hashApiKey } from "./domain/api-keys.ts";
import { syncAllEndpointConfigs } from "./domain/endpoints.ts";
import { createOutboxSignal } from "./domain/outbox.ts";
import type { Services } from "./domain/services.ts";
import type { Env } from "./env.ts";
import { createFanOut, type FanOut } from "./fanout/fan-out.ts";
import { createHttpServer } from "./http-server.ts";
import { createOutboxRelay, type OutboxRelay } from "./relay/outbox-relay.ts";
import {
  type AdjudicationSimulator,
  createAdjudicationSimulator,
} from "./simulator/adjudication-simulator.ts";

export type InsurerDeps = {
  env: Env;
  /** Opened and migrated (db/open-database.ts); the caller closes it after stop(). */
  db: Db;
  /** Opened with openQueue; the caller closes it after stop(). */
  queue: Queue;
  log: Logger;
  /** The simulator's random source (tests pass a seeded one). */
  random?: () => number;
};

export type Insurer = {
  services: Services;
  server: Server;
  relay: OutboxRelay;
  fanout: FanOut;
  recorder: AttemptRecorder;
  simulator: AdjudicationSimulator | null;
  /** Syncs endpoints to KV, starts the loops, listens; `url` is the tRPC base URL. */
  start(): Promise<{ url: string; baseUrl: string }>;
  stop(): Promise<void>;
};

/**
 * Builds the insurer from opened resources without starting anything, so tests can use
 * `services` through createCaller alone, or start the whole process in-process.
 */
export function createInsurer(deps: InsurerDeps): Insurer {
  const { env, db, queue, log } = deps;
  const services: Services = {
    db,
    outbox: createOutboxSignal(),
    endpointConfigs: queue.endpoints,
    staffKeyHash: hashApiKey(env.INSURER_STAFF_API_KEY),
    log,
  };
  const server = createHttpServer(services);
  const relay = createOutboxRelay({ db, js: queue.js, signal: services.outbox, log });
  const fanout = createFanOut({ db, js: queue.js, log });
  const recorder = createAttemptRecorder({ db, js: queue.js, log });
  const simulator = env.ADJUDICATION_SIMULATOR
    ? createAdjudicationSimulator({
        services,
        timeScale: env.SIMULATOR_TIME_SCALE,
        log,
        ...(deps.random ? { random: deps.random } : {}),
      })
    : null;

  return {
    services,
    server,
    relay,
    fanout,
    recorder,
    simulator,
    async start() {
      const synced = await syncAllEndpointConfigs(services);
      log.info({ endpoints: synced }, "endpoint configs synced to KV");
      relay.start();
      fanout.start();
      recorder.start();
      simulator?.start();
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
    async stop() {
      // Stop taking requests first, so no change commits after the relay's last round.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      if (server.listening) await closed;
      simulator?.stop();
      await relay.stop();
      await relay.publishPending().catch((err: unknown) => {
        log.warn({ err }, "unpublished events remain; the next start publishes them");
      });
      await Promise.all([fanout.stop(), recorder.stop()]);
    },
  };
}
