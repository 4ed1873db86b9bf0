import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, startNatsServer, type TestNatsServer } from "@claimwire/queue/testing";
import { request } from "undici";
import { type ServiceProcess, STAFF_API_KEY, startService } from "./harness.ts";
import { sleep } from "./load.ts";

/**
 * The e2e harness's startSystem waits for each process's "ready" log line, which is at
 * info level; the benchmark runs every process at LOG_LEVEL=warn (a log line per webhook
 * would be part of what is measured), so it starts the same processes with the same
 * settings and waits for readiness by asking each one instead.
 */
export const LOCAL_INSURER_ENV = {
  ENDPOINT_ALLOW_HTTP: "true",
  DELIVERY_RETRY_SCHEDULE: "0s,100ms,200ms,400ms,400ms,400ms",
  LOG_LEVEL: "warn",
  RATE_LIMIT_PER_SECOND: "100000000",
  RATE_LIMIT_BURST: "100000000",
  EVENT_FEED_MAX_WAITERS_PER_CLINIC: "100",
  // The physical-limit phase keeps 64 POSTs in flight to the clinic; its endpoint gets the
  // same (the default of 8 protects receivers and would be the bound instead).
  ENDPOINT_DEFAULT_MAX_CONCURRENCY: "64",
};
export const LOCAL_WORKER_ENV = {
  DELIVERY_ALLOW_PRIVATE_NETWORKS: "127.0.0.0/8,::1/128",
  LOG_LEVEL: "warn",
};

export type BenchProcesses = {
  nats: TestNatsServer;
  insurer: ServiceProcess;
  worker: ServiceProcess;
  clinic: ServiceProcess;
  insurerUrl: string;
  clinicUrl: string;
  insurerDbPath: string;
  clinicDbPath: string;
  clinicApiKey: string;
  /** Starts another delivery worker process (after `worker` was killed, for a drain). */
  startWorker(): Promise<ServiceProcess>;
  stop(): Promise<void>;
};

/**
 * BENCH_CPU_PROF=<dir> profiles every service (cpu-profile-hook.mjs): a .cpuprofile per
 * process in that folder, written on SIGUSR2 (`profileProcesses` below), to see where
 * the time goes. Node 20 refuses --cpu-prof in NODE_OPTIONS, hence the hook.
 */
function profileEnv(): Record<string, string> {
  const dir = process.env.BENCH_CPU_PROF;
  const hook = fileURLToPath(new URL("./cpu-profile-hook.mjs", import.meta.url));
  return dir ? { NODE_OPTIONS: `--import ${hook}` } : {};
}

/** Asks every profiled service to write its profile now; waits for the files. */
export async function writeProfiles(services: ServiceProcess[]): Promise<void> {
  if (!process.env.BENCH_CPU_PROF) return;
  for (const service of services) process.kill(service.pid, "SIGUSR2");
  await sleep(2_000);
}

async function until(what: string, probe: () => Promise<boolean>, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe().catch(() => false)) return;
    await sleep(100);
  }
  throw new Error(`${what} was not ready within ${timeoutMs} ms`);
}

export async function startProcesses(): Promise<BenchProcesses> {
  const dir = await mkdtemp(join(tmpdir(), "claimwire-bench-"));
  const nats = await startNatsServer();
  const started: ServiceProcess[] = [];
  const stopAll = async () => {
    await Promise.all(started.map((s) => s.kill()));
    await nats.stop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const insurerPort = await freePort();
    const insurerUrl = `http://127.0.0.1:${insurerPort}`;
    const insurerDbPath = join(dir, "insurer.sqlite");
    const insurer = await startService("insurer", "apps/insurer", {
      NATS_URL: nats.url,
      INSURER_PORT: String(insurerPort),
      INSURER_DB_PATH: insurerDbPath,
      INSURER_STAFF_API_KEY: STAFF_API_KEY,
      ...LOCAL_INSURER_ENV,
      ...profileEnv(),
    });
    started.push(insurer);
    await until("insurer", async () => {
      const res = await request(`${insurerUrl}/healthz`);
      await res.body.dump();
      return res.statusCode === 200;
    });

    let workers = 0;
    const startWorker = async () => {
      workers++;
      // Its metrics endpoint answers once it is connected and about to consume.
      const metricsPort = await freePort();
      const worker = await startService(`worker-${workers}`, "apps/delivery-worker", {
        NATS_URL: nats.url,
        WORKER_ID: `bench-worker-${workers}`,
        WORKER_METRICS_PORT: String(metricsPort),
        ...LOCAL_WORKER_ENV,
        ...profileEnv(),
      });
      started.push(worker);
      await until(`worker ${workers}`, async () => {
        const res = await request(`http://127.0.0.1:${metricsPort}/metrics`);
        await res.body.dump();
        return res.statusCode === 200;
      });
      return worker;
    };
    const worker = await startWorker();

    const created = await request(`${insurerUrl}/trpc/clinics.create`, {
      method: "POST",
      headers: { authorization: `Bearer ${STAFF_API_KEY}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "Bench Clinic" }),
    });
    const { apiKey: clinicApiKey } = (
      (await created.body.json()) as {
        result: { data: { apiKey: string } };
      }
    ).result.data;

    const clinicPort = await freePort();
    const clinicUrl = `http://127.0.0.1:${clinicPort}`;
    const clinicDbPath = join(dir, "clinic.sqlite");
    const clinic = await startService("clinic", "apps/clinic", {
      CLINIC_PORT: String(clinicPort),
      CLINIC_DB_PATH: clinicDbPath,
      INSURER_URL: insurerUrl,
      CLINIC_API_KEY: clinicApiKey,
      LOG_LEVEL: "warn",
      ...profileEnv(),
    });
    started.push(clinic);
    // Unsigned POSTs are refused with 503 until the clinic registered its endpoint, 401 after.
    await until("clinic", async () => {
      const res = await request(`${clinicUrl}/webhooks/insurer`, { method: "POST", body: "{}" });
      await res.body.dump();
      return res.statusCode === 401;
    });

    return {
      nats,
      insurer,
      worker,
      clinic,
      insurerUrl,
      clinicUrl,
      insurerDbPath,
      clinicDbPath,
      clinicApiKey,
      startWorker,
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
