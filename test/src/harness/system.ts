import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase } from "@claimwire/insurer-db/testing";
import { startNatsServer, type TestNatsServer } from "@claimwire/queue/testing";
import { createInsurerClient } from "@claimwire/sdk";
import { freePort } from "@claimwire/testing";
import { type ClinicApiClient, createClinicApiClient } from "./clinic-api-client.ts";
import { waitForHttpStatus } from "./http-readiness.ts";
import { type RoundRobinBalancer, startRoundRobinBalancer } from "./round-robin-balancer.ts";
import { type SecretWatchingProxy, startSecretWatchingProxy } from "./secret-watching-proxy.ts";
import { type ServiceProcess, startService } from "./service-process.ts";

export const STAFF_API_KEY = "cw_staff_e2e_key_0123456789abcdef";

export type RunningSystem = {
  nats: TestNatsServer;
  /** The first insurer process (the only one unless `insurers` was given). */
  insurer: ServiceProcess;
  /** Every insurer process, in start order. */
  insurers: ServiceProcess[];
  /** The first delivery worker (the only one unless `workers` was given). */
  worker: ServiceProcess;
  /** Every delivery worker, in start order. */
  workers: ServiceProcess[];
  clinic: ServiceProcess;
  insurerUrl: string;
  clinicUrl: string;
  /**
   * The database files, for the benchmark's measurements only (bench/): tests look at
   * the system through its APIs (`staff`, `clinicClient`, `clinicApi`).
   */
  clinicDbPath: string;
  /** The insurer's SQLite file; undefined when the insurers run on PostgreSQL. */
  insurerDbPath: string | undefined;
  /** The insurers' PostgreSQL database (DATABASE_URL), when they run on one. */
  insurerDatabaseUrl: string | undefined;
  clinicApiKey: string;
  /** The clinic's own tRPC API (what its web app shows). */
  clinicApi: ClinicApiClient;
  /**
   * The signing secret the insurer issued for the clinic's webhook endpoint, as seen in
   * the insurer's answer to the clinic (needs `watchClinicSecret`).
   */
  clinicSecret(): string;
  staff: ReturnType<typeof createInsurerClient>;
  clinicClient: ReturnType<typeof createInsurerClient>;
  /**
   * Starts the clinic again, as a new process with the same port, database and settings
   * (killing the running one first, if it still runs), waits for "ready" and makes it
   * `clinic`. For tests of what the clinic does after downtime.
   */
  restartClinic(): Promise<ServiceProcess>;
  /**
   * Starts an insurer process again with its settings (killing it first if it still
   * runs), waits until it is ready and puts it in its place in `insurers`.
   */
  restartInsurer(insurer: ServiceProcess): Promise<ServiceProcess>;
  /** Starts one more delivery worker (e.g. after `worker` was killed), waits until it is ready. */
  startWorker(): Promise<ServiceProcess>;
  stop(): Promise<void>;
};

export type StartSystemOptions = {
  /** Extra environment for every delivery worker. */
  workerEnv?: Record<string, string>;
  /** Extra environment for worker n (1-based), e.g. its own WORKER_METRICS_PORT. */
  workerEnvFor?: (n: number) => Record<string, string>;
  /** How many delivery worker processes to start (default 1); each gets WORKER_ID worker-<n> when more than one. */
  workers?: number;
  /** Extra environment for the insurer. */
  insurerEnv?: Record<string, string>;
  /**
   * Insurer processes (default 1). More than one share a PostgreSQL database of their own
   * on the machine's server (dropped at stop) behind a round-robin balancer
   * (`insurerUrl`); one runs on a SQLite file unless `postgres` is set.
   */
  insurers?: number;
  postgres?: boolean;
  /** Extra environment for the clinic (e.g. CLINIC_PUBLIC_URL to put a proxy in front of it). */
  clinicEnv?: Record<string, string>;
  /**
   * Every process at LOG_LEVEL=warn (the benchmark: a log line per webhook would be part
   * of what it measures). The "ready" log line is at info, so readiness is then asked
   * over HTTP, from each process's /readyz (each worker gets a WORKER_METRICS_PORT for it).
   */
  quiet?: boolean;
  /** Name of the clinic created through the staff API (default "E2E Clinic"). */
  clinicName?: string;
  /**
   * Route the clinic's calls to the insurer through a proxy that notes the endpoint
   * secret the insurer issues (`clinicSecret()`), for tests that sign webhooks themselves.
   */
  watchClinicSecret?: boolean;
};

/**
 * Everything runs on loopback over plain http, which production refuses: the insurer
 * accepts http endpoint URLs and the workers' SSRF guard lets loopback through, as in dev.
 * Options override these.
 */
export const LOCAL_INSURER_ENV = {
  ENDPOINT_ALLOW_HTTP: "true",
  ENDPOINT_ALLOW_PRIVATE_NETWORKS: "127.0.0.0/8,::1/128",
  // Compressed retries, so that a failed delivery is tried again within a test's patience.
  DELIVERY_RETRY_SCHEDULE: "0s,100ms,200ms,400ms,400ms,400ms",
  // The suites submit thousands of claims through one key at once (isolation.test.ts).
  RATE_LIMIT_PER_SECOND: "1000000",
  RATE_LIMIT_BURST: "1000000",
};
export const LOCAL_WORKER_ENV = { DELIVERY_ALLOW_PRIVATE_NETWORKS: "127.0.0.0/8,::1/128" };

/**
 * The whole system as separate processes on one machine: a private nats-server, the
 * insurer, one delivery worker (or `workers` of them) and one clinic, each with its own
 * SQLite file in a temporary folder. The clinic is created through the staff API, as an
 * operator would.
 */
export async function startSystem(opts: StartSystemOptions = {}): Promise<RunningSystem> {
  const dir = await mkdtemp(join(tmpdir(), "claimwire-e2e-"));
  const nats = await startNatsServer();
  const started: ServiceProcess[] = [];
  let secretProxy: SecretWatchingProxy | undefined;
  let balancer: RoundRobinBalancer | undefined;
  const insurerCount = opts.insurers ?? 1;
  const database = opts.postgres || insurerCount > 1 ? await createTestDatabase() : undefined;
  const cleanUp = async () => {
    await Promise.all(started.map((s) => s.kill()));
    await secretProxy?.close();
    await balancer?.close();
    await nats.stop();
    await database?.drop();
    await rm(dir, { recursive: true, force: true });
  };
  const quiet: Record<string, string> = opts.quiet ? { LOG_LEVEL: "warn" } : {};
  try {
    const insurerDbPath = database ? undefined : join(dir, "insurer.sqlite");
    const insurers: ServiceProcess[] = [];
    const insurerUrls: string[] = [];
    const insurerEnvs: Record<string, string>[] = [];
    const launchInsurer = async (n: number): Promise<ServiceProcess> => {
      const name = insurerCount > 1 ? `insurer-${n}` : "insurer";
      const env = insurerEnvs[n - 1]!;
      const insurer = await startService(name, "apps/insurer", env);
      started.push(insurer);
      await (opts.quiet
        ? waitForHttpStatus(name, `${insurerUrls[n - 1]}/readyz`, 200)
        : insurer.waitForLog("ready"));
      insurers[n - 1] = insurer;
      return insurer;
    };
    for (let n = 1; n <= insurerCount; n++) {
      const port = await freePort();
      insurerUrls.push(`http://127.0.0.1:${port}`);
      insurerEnvs.push({
        NATS_URL: nats.url,
        INSURER_PORT: String(port),
        ...(database ? { DATABASE_URL: database.url } : { INSURER_DB_PATH: insurerDbPath! }),
        INSURER_STAFF_API_KEY: STAFF_API_KEY,
        ...LOCAL_INSURER_ENV,
        ...quiet,
        ...opts.insurerEnv,
      });
      await launchInsurer(n);
    }
    if (insurerCount > 1) balancer = await startRoundRobinBalancer(insurerUrls);
    const insurerUrl = balancer?.url ?? insurerUrls[0]!;
    const insurer = insurers[0]!;

    const workerCount = opts.workers ?? 1;
    const workers: ServiceProcess[] = [];
    /** Starts worker n; returns a wait for its readiness (several workers start up at once). */
    const launchWorker = async (n: number) => {
      const name = workerCount > 1 || n > 1 ? `worker-${n}` : "worker";
      const env: Record<string, string> = {
        NATS_URL: nats.url,
        ...LOCAL_WORKER_ENV,
        ...quiet,
        ...(name !== "worker" ? { WORKER_ID: name } : {}),
        ...(opts.quiet ? { WORKER_METRICS_PORT: String(await freePort()) } : {}),
        ...opts.workerEnv,
        ...opts.workerEnvFor?.(n),
      };
      const worker = await startService(name, "apps/delivery-worker", env);
      started.push(worker);
      workers.push(worker);
      return async () => {
        await (opts.quiet
          ? waitForHttpStatus(name, `http://127.0.0.1:${env.WORKER_METRICS_PORT}/readyz`, 200)
          : worker.waitForLog("ready"));
        return worker;
      };
    };
    const readiness = [];
    for (let n = 1; n <= workerCount; n++) readiness.push(await launchWorker(n));
    await Promise.all(readiness.map((ready) => ready()));

    const staff = createInsurerClient({ baseUrl: insurerUrl, apiKey: STAFF_API_KEY });
    const { apiKey: clinicApiKey } = await staff.clinics.create.mutate({
      name: opts.clinicName ?? "E2E Clinic",
    });

    const clinicPort = await freePort();
    const clinicUrl = `http://127.0.0.1:${clinicPort}`;
    const clinicDbPath = join(dir, "clinic.sqlite");
    if (opts.watchClinicSecret) secretProxy = await startSecretWatchingProxy(insurerUrl);
    const clinicEnv = {
      CLINIC_PORT: String(clinicPort),
      CLINIC_DB_PATH: clinicDbPath,
      INSURER_URL: secretProxy?.url ?? insurerUrl,
      CLINIC_API_KEY: clinicApiKey,
      ...quiet,
      ...opts.clinicEnv,
    };
    const clinicReady = (clinic: ServiceProcess) =>
      opts.quiet
        ? waitForHttpStatus("clinic", `${clinicUrl}/readyz`, 200)
        : clinic.waitForLog("ready");
    const clinic = await startService("clinic", "apps/clinic", clinicEnv);
    started.push(clinic);
    await clinicReady(clinic);

    const system: RunningSystem = {
      nats,
      insurer,
      insurers,
      worker: workers[0]!,
      workers,
      clinic,
      insurerUrl,
      clinicUrl,
      clinicDbPath,
      insurerDbPath,
      insurerDatabaseUrl: database?.url,
      clinicApiKey,
      clinicApi: createClinicApiClient(clinicUrl),
      clinicSecret: () => {
        const secret = secretProxy?.issuedSecret();
        if (!secret) {
          throw new Error(
            secretProxy
              ? "the insurer has not issued the clinic an endpoint secret yet"
              : "start the system with watchClinicSecret to learn the clinic's secret",
          );
        }
        return secret;
      },
      staff,
      clinicClient: createInsurerClient({ baseUrl: insurerUrl, apiKey: clinicApiKey }),
      restartClinic: async () => {
        await system.clinic.kill();
        const restarted = await startService("clinic", "apps/clinic", clinicEnv);
        started.push(restarted);
        system.clinic = restarted;
        await clinicReady(restarted);
        return restarted;
      },
      restartInsurer: async (insurer) => {
        const n = insurers.indexOf(insurer) + 1;
        if (n === 0) throw new Error(`${insurer.name} is not one of this system's insurers`);
        await insurer.kill();
        const restarted = await launchInsurer(n);
        if (n === 1) system.insurer = restarted;
        return restarted;
      },
      startWorker: async () => (await launchWorker(workers.length + 1))(),
      stop: cleanUp,
    };
    return system;
  } catch (err) {
    await cleanUp();
    throw err;
  }
}
