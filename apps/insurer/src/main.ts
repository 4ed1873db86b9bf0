import { createInsurer, DEFAULT_STAFF_API_KEY, parseEnv } from "@claimwire/insurer-api";
import { openStore } from "@claimwire/insurer-db";
import { ensureClinicWithKey } from "@claimwire/insurer-domain";
import { openQueue } from "@claimwire/queue";
import { builtAppDir, exitAfterDrainOnSignal } from "@claimwire/service";
import { startTracing, traceLogFields } from "@claimwire/telemetry";
import { pino } from "pino";

// The only file with side effects: read the environment, open the database and NATS,
// start, and drain on SIGTERM/SIGINT (docs/deploy.md, "Shutdown").

const env = parseEnv(process.env);
// Off unless the OTEL_* variables ask for it (docs/tracing.md).
const tracing = startTracing({ serviceName: "insurer" });
const log = pino({ level: env.LOG_LEVEL, base: { app: "insurer" }, mixin: traceLogFields });

if (env.INSURER_STAFF_API_KEY === DEFAULT_STAFF_API_KEY) {
  log.warn("INSURER_STAFF_API_KEY is the default development key; set a secret one anywhere else");
}

const store = await openStore(
  env.DATABASE_URL
    ? {
        databaseUrl: env.DATABASE_URL,
        poolSize: env.DATABASE_POOL_SIZE,
        onSessionError: (err) =>
          log.warn({ err }, "PostgreSQL session for leases lost; reconnecting"),
      }
    : { sqlitePath: env.INSURER_DB_PATH },
);
log.info({ store: store.dialect }, "database opened and migrated");
const queue = await openQueue({
  servers: env.NATS_URL,
  name: "insurer",
  topology: { deliveryAckWaitMs: env.DELIVERY_ACK_WAIT_MS, replicas: env.NATS_REPLICAS },
});
const insurer = createInsurer({
  env,
  store,
  queue,
  log,
  // The console's build, by configuration or through its package's export of dist/.
  consoleDir: env.INSURER_CONSOLE_DIR ?? builtAppDir("@claimwire/insurer-console", import.meta.url),
});

if (env.SEED_DEMO_CLINIC) {
  const clinic = await ensureClinicWithKey(
    insurer.services,
    "Demo Clinic",
    env.DEMO_CLINIC_API_KEY,
  );
  log.info({ clinicId: clinic.id }, "demo clinic ready (key from DEMO_CLINIC_API_KEY)");
}

const { url } = await insurer.start();
log.info({ url, simulator: env.ADJUDICATION_SIMULATOR }, "ready");

exitAfterDrainOnSignal({
  timeoutMs: env.SHUTDOWN_TIMEOUT_MS,
  log,
  drain: async () => {
    await insurer.drain();
    await queue.close();
    await store.close();
    await tracing.shutdown();
  },
});
