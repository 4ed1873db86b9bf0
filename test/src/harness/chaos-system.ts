import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase } from "@claimwire/insurer-db/testing";
import {
  startNatsCluster,
  startNatsServer,
  type TestNatsCluster,
  type TestNatsServer,
} from "@claimwire/queue/testing";
import { createInsurerClient } from "@claimwire/sdk";
import { freePort } from "@claimwire/testing";
import { type ClinicApiClient, createClinicApiClient } from "./clinic-api-client.ts";
import { type FaultProxy, type FaultProxyOptions, startFaultProxy } from "./fault-proxy.ts";
import { type RestartableService, startRestartableService } from "./restartable-service.ts";
import { type RoundRobinBalancer, startRoundRobinBalancer } from "./round-robin-balancer.ts";
import { LOCAL_INSURER_ENV, LOCAL_WORKER_ENV, STAFF_API_KEY } from "./system.ts";

type InsurerClient = ReturnType<typeof createInsurerClient>;

/** A real clinic process behind its own fault proxy, with its own database and API key. */
export type ChaosClinic = {
  name: string;
  clinicId: string;
  endpointId: string;
  /** The insurer's API with this clinic's key. */
  client: InsurerClient;
  /** The clinic's own tRPC API, on its port (not through the fault proxy). */
  api: ClinicApiClient;
  proxy: FaultProxy;
  service: RestartableService;
};

export type ChaosSystem = {
  /** The one nats-server, unless the system runs on a cluster. */
  nats: TestNatsServer | undefined;
  /** The three-node cluster (nodes on hosts of their own) when started with `cluster: true`. */
  cluster: TestNatsCluster | undefined;
  /** Every NATS server the processes were given (NATS_URL). */
  natsServers: string[];
  /** The first insurer process (the only one unless `insurers` was given). */
  insurer: RestartableService;
  /** Every insurer process, in start order. */
  insurers: RestartableService[];
  /** Where clients reach the insurer: its port, or the balancer in front of several. */
  insurerUrl: string;
  /**
   * The insurer's SQLite file, only for the fault that looks into its outbox while the
   * insurer is dead (faults.ts); everything else asks the insurer's API. Undefined on
   * PostgreSQL.
   */
  insurerDbPath: string | undefined;
  staff: InsurerClient;
  workers: RestartableService[];
  clinics: ChaosClinic[];
  /** Every process started, for a failing run's logs. */
  services(): RestartableService[];
  stop(): Promise<void>;
};

export type ChaosSystemOptions = {
  /**
   * A three-node JetStream cluster instead of one nats-server: each node on a network
   * namespace of its own (so one can be cut off; needs root), every stream and the bucket
   * with three copies (NATS_REPLICAS=3), NATS_URL listing every node.
   */
  cluster?: boolean;
  /**
   * Insurer processes (default 1). More than one share a PostgreSQL database of their own
   * on the machine's server (dropped at stop) behind a round-robin balancer; one runs on a
   * SQLite file unless `postgres` is set.
   */
  insurers?: number;
  postgres?: boolean;
  clinics: number;
  workers: number;
  /** Environment every process gets (settings they must agree on, e.g. DELIVERY_ACK_WAIT_MS). */
  sharedEnv?: Record<string, string>;
  insurerEnv?: Record<string, string>;
  workerEnv?: Record<string, string>;
  clinicEnv?: Record<string, string>;
  /** Faults of each clinic's proxy; `random(n)` gives clinic n (1-based) its generator. */
  proxy: Omit<FaultProxyOptions, "random"> & { random?: (n: number) => () => number };
};

/**
 * The system as separate processes, like startSystem (system.ts), with what fault
 * injection needs: several clinics, each a real clinic process behind a fault proxy
 * (its CLINIC_PUBLIC_URL), and every process restartable on the same port, database
 * and NATS store: the insurer, each worker, each clinic, and nats-server itself (or each
 * node of the cluster).
 */
export async function startChaosSystem(opts: ChaosSystemOptions): Promise<ChaosSystem> {
  const dir = await mkdtemp(join(tmpdir(), "claimwire-chaos-"));
  const cluster = opts.cluster ? await startNatsCluster({ network: "namespaces" }) : undefined;
  const nats = cluster ? undefined : await startNatsServer();
  const natsServers = cluster ? cluster.servers : [nats!.url];
  const services: RestartableService[] = [];
  const proxies: FaultProxy[] = [];
  const insurerCount = opts.insurers ?? 1;
  const database = opts.postgres || insurerCount > 1 ? await createTestDatabase() : undefined;
  let balancer: RoundRobinBalancer | undefined;
  const stop = async () => {
    // A frozen process would ignore SIGTERM: SIGKILL is what a supervisor would do too.
    await Promise.all(services.map((s) => s.kill("SIGKILL")));
    await Promise.all(proxies.map((p) => p.close()));
    await balancer?.close();
    await nats?.stop();
    await cluster?.stop();
    await database?.drop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const shared = { NATS_URL: natsServers.join(","), ...opts.sharedEnv };
    // Every process that opens the queue applies the topology: all must ask for three copies.
    const replicas: Record<string, string> = cluster ? { NATS_REPLICAS: "3" } : {};
    const insurerDbPath = database ? undefined : join(dir, "insurer.sqlite");
    const store: Record<string, string> = database
      ? { DATABASE_URL: database.url }
      : { INSURER_DB_PATH: insurerDbPath! };
    const insurerUrls: string[] = [];
    const insurers: RestartableService[] = [];
    for (let n = 1; n <= insurerCount; n++) {
      const port = await freePort();
      insurerUrls.push(`http://127.0.0.1:${port}`);
      const insurer = await startRestartableService(
        insurerCount > 1 ? `insurer-${n}` : "insurer",
        "apps/insurer",
        {
          ...shared,
          INSURER_PORT: String(port),
          ...store,
          INSURER_STAFF_API_KEY: STAFF_API_KEY,
          ...replicas,
          ...LOCAL_INSURER_ENV,
          ...opts.insurerEnv,
        },
      );
      services.push(insurer);
      insurers.push(insurer);
    }
    if (insurerCount > 1) balancer = await startRoundRobinBalancer(insurerUrls);
    const insurerUrl = balancer?.url ?? insurerUrls[0]!;

    const workers = await Promise.all(
      Array.from({ length: opts.workers }, (_, i) =>
        startRestartableService(`worker-${i + 1}`, "apps/delivery-worker", {
          ...shared,
          ...replicas,
          ...LOCAL_WORKER_ENV,
          WORKER_ID: `worker-${i + 1}`,
          ...opts.workerEnv,
        }),
      ),
    );
    services.push(...workers);

    const staff = createInsurerClient({ baseUrl: insurerUrl, apiKey: STAFF_API_KEY });
    const clinics: ChaosClinic[] = [];
    for (let n = 1; n <= opts.clinics; n++) {
      const name = `clinic-${n}`;
      const { apiKey } = await staff.clinics.create.mutate({ name: `Chaos Clinic ${n}` });
      const client = createInsurerClient({ baseUrl: insurerUrl, apiKey });
      const me = await client.me.query();
      if (me.role !== "clinic") throw new Error(`${name}: expected a clinic key`);
      const proxy = await startFaultProxy({ ...opts.proxy, random: opts.proxy.random?.(n) });
      proxies.push(proxy);
      const port = await freePort();
      proxy.setTarget(`http://127.0.0.1:${port}`);
      const dbPath = join(dir, `${name}.sqlite`);
      const service = await startRestartableService(name, "apps/clinic", {
        ...shared,
        CLINIC_PORT: String(port),
        CLINIC_DB_PATH: dbPath,
        CLINIC_PUBLIC_URL: proxy.url,
        INSURER_URL: insurerUrl,
        CLINIC_API_KEY: apiKey,
        ...opts.clinicEnv,
      });
      services.push(service);
      const ready = await service.current().waitForLog("ready");
      clinics.push({
        name,
        clinicId: me.clinicId,
        endpointId: String(ready.endpointId),
        client,
        api: createClinicApiClient(`http://127.0.0.1:${port}`),
        proxy,
        service,
      });
    }

    return {
      nats,
      cluster,
      natsServers,
      insurer: insurers[0]!,
      insurers,
      insurerUrl,
      insurerDbPath,
      staff,
      workers,
      clinics,
      services: () => [...services],
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
