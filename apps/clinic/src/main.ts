import type { AddressInfo } from "node:net";
import { createClinicApp, readEnv } from "@claimwire/clinic-api";
import { openDatabase } from "@claimwire/clinic-db";
import { createInsurerClient } from "@claimwire/sdk";
import { builtAppDir, exitAfterDrainOnSignal } from "@claimwire/service";
import { startTracing, traceHeaders, traceLogFields } from "@claimwire/telemetry";
import { serve } from "@hono/node-server";
import pino from "pino";

const env = readEnv();
// Off unless the OTEL_* variables ask for it (docs/tracing.md).
const tracing = startTracing({ serviceName: "clinic" });
const logger = pino({ level: env.logLevel, base: { service: "clinic" }, mixin: traceLogFields });
const { db, close } = openDatabase(env.dbPath);
// Each call carries the active span's traceparent: a claim submitted here is one trace
// from the clinic's API through the insurer and back to the clinic's receiver.
const client = createInsurerClient({
  baseUrl: env.insurerUrl,
  apiKey: env.apiKey,
  headers: () => traceHeaders(),
});
const clinic = createClinicApp({
  db,
  client,
  // The web app's build, by configuration or through its package's export of dist/.
  config: {
    ...env,
    webAppDir: env.webAppDir ?? builtAppDir("@claimwire/clinic-web", import.meta.url),
  },
  logger,
});

const server = serve({ fetch: clinic.app.fetch, port: env.port, hostname: env.host });
await new Promise<void>((resolve, reject) => {
  server.once("listening", resolve);
  server.once("error", reject);
});
const { port } = server.address() as AddressInfo;
const url = `http://${env.host}:${port}`;
logger.info({ url, insurerUrl: env.insurerUrl, dbPath: env.dbPath }, "listening");
// Where e-mail goes, never how it logs in (no user, no password).
logger.info(
  env.smtp
    ? { email: "on", smtpHost: env.smtp.host, smtpPort: env.smtp.port, tls: env.smtp.tls }
    : { email: "off (CLINIC_SMTP_HOST is not set)" },
  "patient e-mail",
);

// SIGTERM: webhooks get 503 (the insurer retries them) and /readyz turns 503 at once; the
// requests running finish, then the processor stops and the server closes. Bounded by
// SHUTDOWN_TIMEOUT_MS (docs/deploy.md).
let stopping = false;
exitAfterDrainOnSignal({
  timeoutMs: env.shutdownTimeoutMs,
  log: logger,
  drain: async () => {
    stopping = true;
    await clinic.drain();
    clinic.stop();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Live updates (server-sent events) and idle keep-alive connections would hold close()
    // open; every request that writes has finished, and each commits on its own.
    if ("closeAllConnections" in server) server.closeAllConnections();
    await closed;
    // An e-mail being sent finishes and is recorded; one cut off would be sent again.
    await clinic.mailer?.settle();
    close();
    await tracing.shutdown();
  },
});

// "ready" only once the insurer knows where to deliver: until then the receiver answers
// 503 and a claim submitted now could miss its webhooks.
try {
  const registration = await clinic.start();
  logger.info({ url, publicUrl: env.publicUrl, endpointId: registration.endpointId }, "ready");
} catch (error) {
  if (!stopping) throw error;
}
