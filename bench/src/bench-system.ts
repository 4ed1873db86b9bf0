import { CLAIM_EVENT_TYPES, type Claim } from "@claimwire/contracts";
import { readClinicDb, readInsurerDb, STAFF_API_KEY, sampleClaim } from "@claimwire/e2e/harness";
import { openQueue, type Queue } from "@claimwire/queue";
import { createInsurerApi, type InsurerApi } from "./insurer-api.ts";
import { natsServerPid } from "./rss.ts";
import { type BenchProcesses, startProcesses } from "./start-processes.ts";

export type Clinic = { id: string; apiKey: string };

export type DeliveryTimeline = {
  committed: number;
  dispatched: number;
  postStarted: number;
};

export type Bench = {
  system: BenchProcesses;
  api: InsurerApi;
  /** The benchmark's own NATS connection, for stream state. */
  queue: Queue;
  /** The clinic process's clinic: its endpoint is the clinic's real receiver. */
  clinic: Clinic;
  /** The nats-server of the harness's own, or each node of the cluster given to `startBench`. */
  natsPid: number;
  /** CPU/RSS names → pids of every nats-server this system uses, now (a killed node is absent). */
  natsPids(): Record<string, number>;
  newClinic(name: string): Promise<Clinic>;
  submit(clinic: Clinic): Promise<Claim>;
  decide(input: Record<string, unknown>): Promise<Claim>;
  createEndpoint(clinic: Clinic, url: string): Promise<{ id: string }>;
  /** Highest outbox position now: events after it are the ones a phase made. */
  lastSeq(): number;
  /** Commit time (ms) of each event of a clinic after `afterSeq`, by event id. */
  commitTimes(clinicId: string, afterSeq: number): Map<string, number>;
  /**
   * Per event of a clinic after `afterSeq`, the insurer-side timestamps of its first
   * delivery: commit, the dispatcher claimed attempt 1 (then published it), the worker
   * started the POST (attempt 1, once reported).
   */
  deliveryTimeline(clinicId: string, afterSeq: number): Map<string, DeliveryTimeline>;
  /** Arrival time (ms) of each webhook in the clinic process's inbox, by webhook id. */
  inboxTimes(ids?: ReadonlySet<string>): Map<string, number>;
  /** Webhooks in the clinic process's inbox. */
  inboxCount(): number;
  /** Inbox rows the clinic has not processed yet. */
  inboxPending(): number;
  stop(): Promise<void>;
};

/**
 * A NATS the system should use instead of the harness's own nats-server (which then
 * starts but stays idle): a test cluster, with the replicas every process must be given.
 */
export type ExternalNats = {
  url: string;
  replicas: number;
  pids(): Record<string, number>;
};

export async function startBench(
  opts: {
    nats?: ExternalNats;
    insurerEnv?: Record<string, string>;
    workerEnv?: Record<string, string>;
    /** Insurer processes (default 1; more share PostgreSQL), and PostgreSQL for one. */
    insurers?: number;
    postgres?: boolean;
  } = {},
): Promise<Bench> {
  const system = await startProcesses(
    opts.nats ? { NATS_URL: opts.nats.url, NATS_REPLICAS: String(opts.nats.replicas) } : {},
    opts.insurerEnv,
    opts.workerEnv,
    {
      ...(opts.insurers ? { insurers: opts.insurers } : {}),
      ...(opts.postgres ? { postgres: true } : {}),
    },
  );
  const api = createInsurerApi(system.insurerUrl);
  const natsUrl = opts.nats?.url ?? system.nats.url;
  // Opening the queue applies the topology: with the replicas the processes were given,
  // or it would scale every stream back to one copy.
  const queue = await openQueue({
    servers: natsUrl,
    name: "bench",
    topology: { replicas: opts.nats?.replicas ?? 1 },
  });
  const me = await api.query<{ clinicId: string }>("me", undefined, system.clinicApiKey);
  const clinic = { id: me.clinicId, apiKey: system.clinicApiKey };

  return {
    system,
    api,
    queue,
    clinic,
    natsPid: natsServerPid(system.nats.port),
    natsPids: () =>
      opts.nats ? opts.nats.pids() : { "nats-server": natsServerPid(system.nats.port) },
    async newClinic(name) {
      const created = await api.mutate<{ clinic: { id: string }; apiKey: string }>(
        "clinics.create",
        { name },
        STAFF_API_KEY,
      );
      return { id: created.clinic.id, apiKey: created.apiKey };
    },
    submit: (c) => api.mutate<Claim>("claims.submit", sampleClaim(), c.apiKey),
    decide: (input) => api.mutate<Claim>("claims.decide", input, STAFF_API_KEY),
    createEndpoint: (c, url) =>
      api.mutate<{ id: string }>(
        "endpoints.create",
        { url, eventTypes: [...CLAIM_EVENT_TYPES] },
        c.apiKey,
      ),
    lastSeq: () =>
      readInsurerDb(
        system.insurerDbPath,
        (db) => (db.prepare("SELECT max(seq) AS s FROM events").get() as { s: number | null }).s,
      ) ?? 0,
    commitTimes: (clinicId, afterSeq) =>
      readInsurerDb(system.insurerDbPath, (db) => {
        const rows = db
          .prepare("SELECT id, committed_at AS at FROM events WHERE clinic_id = ? AND seq > ?")
          .all(clinicId, afterSeq) as { id: string; at: string }[];
        return new Map(rows.map((r) => [r.id, Date.parse(r.at)]));
      }),
    deliveryTimeline: (clinicId, afterSeq) =>
      readInsurerDb(system.insurerDbPath, (db) => {
        const rows = db
          .prepare(
            `SELECT e.id, e.committed_at AS c, d.dispatched_at AS d, a.started_at AS s
               FROM events e
               JOIN deliveries d ON d.event_id = e.id
               JOIN attempts a ON a.delivery_id = d.id AND a.attempt_number = 1
              WHERE e.clinic_id = ? AND e.seq > ?`,
          )
          .all(clinicId, afterSeq) as { id: string; c: string; d: string; s: string }[];
        return new Map(
          rows.map((r) => [
            r.id,
            {
              committed: Date.parse(r.c),
              dispatched: Date.parse(r.d),
              postStarted: Date.parse(r.s),
            },
          ]),
        );
      }),
    inboxTimes: (ids) =>
      readClinicDb(system.clinicDbPath, (db) => {
        const rows = db
          .prepare("SELECT webhook_id AS id, received_at AS at FROM inbox WHERE source = 'webhook'")
          .all() as { id: string; at: string }[];
        return new Map(
          rows.filter((r) => !ids || ids.has(r.id)).map((r) => [r.id, Date.parse(r.at)]),
        );
      }),
    inboxCount: () =>
      readClinicDb(
        system.clinicDbPath,
        (db) => (db.prepare("SELECT count(*) AS n FROM inbox").get() as { n: number }).n,
      ),
    inboxPending: () =>
      readClinicDb(
        system.clinicDbPath,
        (db) =>
          (
            db.prepare("SELECT count(*) AS n FROM inbox WHERE state = 'pending'").get() as {
              n: number;
            }
          ).n,
      ),
    async stop() {
      await api.close();
      await queue.close();
      await system.stop();
    },
  };
}
