import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, startNatsServer, type TestNatsServer } from "@claimwire/queue/testing";
import { createInsurerClient } from "@claimwire/sdk";
import { type ServiceProcess, startService } from "./service-process.ts";

export const STAFF_API_KEY = "cw_staff_e2e_key_0123456789abcdef";

export type RunningSystem = {
  nats: TestNatsServer;
  insurer: ServiceProcess;
  worker: ServiceProcess;
  clinic: ServiceProcess;
  insurerUrl: string;
  clinicUrl: string;
  clinicDbPath: string;
  insurerDbPath: string;
  clinicApiKey: string;
  staff: ReturnType<typeof createInsurerClient>;
  clinicClient: ReturnType<typeof createInsurerClient>;
  stop(): Promise<void>;
};

/**
 * The whole system as separate processes on one machine: a private nats-server, the
 * insurer, one delivery worker and one clinic, each with its own SQLite file in a
 * temporary folder. The clinic is created through the staff API, as an operator would.
 */
export async function startSystem(
  opts: { workerEnv?: Record<string, string> } = {},
): Promise<RunningSystem> {
  const dir = await mkdtemp(join(tmpdir(), "claimwire-e2e-"));
  const nats = await startNatsServer();
  const started: ServiceProcess[] = [];
  try {
    const insurerPort = await freePort();
    const insurerUrl = `http://127.0.0.1:${insurerPort}`;
    const insurerDbPath = join(dir, "insurer.sqlite");
    const insurer = await startService("insurer", "apps/insurer", {
      NATS_URL: nats.url,
      INSURER_PORT: String(insurerPort),
      INSURER_DB_PATH: insurerDbPath,
      INSURER_STAFF_API_KEY: STAFF_API_KEY,
    });
    started.push(insurer);
    await insurer.waitForLog("ready");

    const worker = await startService("worker", "apps/delivery-worker", {
      NATS_URL: nats.url,
      DELIVERY_RETRY_DELAYS_MS: "100,200,400",
      ...opts.workerEnv,
    });
    started.push(worker);
    await worker.waitForLog("ready");

    const staff = createInsurerClient({ baseUrl: insurerUrl, apiKey: STAFF_API_KEY });
    const { apiKey: clinicApiKey } = await staff.clinics.create.mutate({ name: "E2E Clinic" });

    const clinicPort = await freePort();
    const clinicUrl = `http://127.0.0.1:${clinicPort}`;
    const clinicDbPath = join(dir, "clinic.sqlite");
    const clinic = await startService("clinic", "apps/clinic", {
      CLINIC_PORT: String(clinicPort),
      CLINIC_DB_PATH: clinicDbPath,
      INSURER_URL: insurerUrl,
      CLINIC_API_KEY: clinicApiKey,
    });
    started.push(clinic);
    await clinic.waitForLog("ready");

    return {
      nats,
      insurer,
      worker,
      clinic,
      insurerUrl,
      clinicUrl,
      clinicDbPath,
      insurerDbPath,
      clinicApiKey,
      staff,
      clinicClient: createInsurerClient({ baseUrl: insurerUrl, apiKey: clinicApiKey }),
      stop: async () => {
        await Promise.all(started.map((s) => s.kill()));
        await nats.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await Promise.all(started.map((s) => s.kill()));
    await nats.stop();
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}
