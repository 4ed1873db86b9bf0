import type { ClinicDatabase } from "@claimwire/clinic-db";
import {
  checkReadiness,
  createDrainGate,
  type ReadinessChecks,
  readinessStatus,
  traceRequests,
} from "@claimwire/service";
import { sql } from "drizzle-orm";
import { Hono } from "hono";
import type { Logger } from "pino";
import { API_PATH, createApiRoutes } from "./api/api-routes.ts";
import { type Clock, systemClock } from "./clock.ts";
import type { ClinicEnv } from "./env.ts";
import type { ClinicInsurerApi } from "./insurer-api.ts";
import {
  type ClinicChange,
  type ClinicChanges,
  createClinicChanges,
} from "./live/clinic-changes.ts";
import type { SmtpSettings } from "./mail/mail-settings.ts";
import { createPatientMailer, type PatientMailer } from "./mail/patient-mailer.ts";
import { createSmtpTransport } from "./mail/smtp-transport.ts";
import { createInboxProcessor, type InboxProcessor } from "./processor/inbox-processor.ts";
import { createWebhookReceiver } from "./receiver/webhook-receiver.ts";
import {
  createFeedReconciler,
  DEFAULT_RECONCILE_INTERVAL_MS,
  DEFAULT_RECONCILE_SETTLE_MS,
  type FeedReconciler,
} from "./reconciliation/feed-reconciler.ts";
import {
  type EndpointRegistration,
  loadRegistration,
} from "./registration/endpoint-registration.ts";
import { ensureEndpoint, WEBHOOK_PATH } from "./registration/ensure-endpoint.ts";
import { createPatientEventsRoutes } from "./web/patient-events-routes.ts";
import { createWebAppRoutes } from "./web/web-app-routes.ts";

export type ClinicDeps = {
  db: ClinicDatabase;
  /** The SDK's insurer client (`createInsurerClient`), or an object with the same methods. */
  client: ClinicInsurerApi;
  config: Pick<ClinicEnv, "publicUrl" | "gapWaitMs"> &
    Partial<Pick<ClinicEnv, "reconcileIntervalMs" | "reconcileSettleMs">> & {
      /** The processor's slow timer; 1 s by default. */
      processorIntervalMs?: number;
      /** Delay before registration retry n; 250 ms doubling up to 5 s by default. */
      registrationRetryDelayMs?: (attempt: number) => number;
      /** Waits before each retry of an inbox message whose processing threw. */
      processingRetryDelaysMs?: readonly number[];
      /** The built web app (apps/clinic resolves it); absent: the "not built" page. */
      webAppDir?: string | null;
      /** The SMTP server for the patient's e-mails; null or absent: e-mail is off. */
      smtp?: SmtpSettings | null;
      /** Where patients open their links; `publicUrl` by default. */
      patientBaseUrl?: string;
      /** The language of a patient's e-mails when staff did not choose one; "en" by default. */
      defaultLanguage?: ClinicEnv["defaultLanguage"];
      /** Waits before each retry of a patient e-mail the SMTP server did not take. */
      emailRetryDelaysMs?: readonly number[];
    };
  logger: Logger;
  clock?: Clock;
};

export type ClinicApp = {
  app: Hono;
  processor: InboxProcessor;
  /** Sends the clinic's mail outbox to patients; null when e-mail is off. */
  mailer: PatientMailer | null;
  /** Reconciliation with the insurer's event feed (runs once registered, then on a timer). */
  reconciler: FeedReconciler;
  /** Changes the web app is told about live (claims applied, messages quarantined, runs). */
  changes: ClinicChanges;
  /**
   * Starts the processor and registers the webhook endpoint; resolves once registered,
   * and then starts reconciliation (its first run at once).
   */
  start(): Promise<EndpointRegistration>;
  /** Stops the processor, reconciliation, and any registration still retrying. */
  stop(): void;
  /**
   * The SIGTERM path: /readyz and new webhooks answer 503 at once (the insurer retries
   * them later, here or on another instance); resolves when the requests running have
   * finished, after which `stop()` and closing the server lose nothing.
   */
  drain(): Promise<void>;
  /** What /readyz asks, by name. */
  readiness: ReadinessChecks;
};

/**
 * Builds the clinic without side effects: the HTTP app (receiver, the web app and its
 * tRPC API, health), the inbox processor, reconciliation and registration. `main.ts` listens and migrates; tests use
 * `app.request()` against a temporary database.
 */
export function createClinicApp({
  db,
  client,
  config,
  logger,
  clock = systemClock,
}: ClinicDeps): ClinicApp {
  const changes = createClinicChanges();
  const smtp = config.smtp ?? null;
  const mailer = smtp
    ? createPatientMailer({
        db,
        transport: createSmtpTransport(smtp),
        logger,
        clock,
        patientBaseUrl: config.patientBaseUrl ?? config.publicUrl,
        // Connecting, the greeting and each answer may each take the timeout.
        leaseMs: Math.max(60_000, smtp.timeoutMs * 10),
        retryDelaysMs: config.emailRetryDelaysMs,
      })
    : null;
  const publish = (change: ClinicChange) => {
    changes.publish(change);
    // A claim change may have queued a patient e-mail in its transaction.
    if (change.kind === "claim") mailer?.wake();
  };
  const processor = createInboxProcessor({
    db,
    logger,
    clock,
    gapWaitMs: config.gapWaitMs,
    intervalMs: config.processorIntervalMs,
    retryDelaysMs: config.processingRetryDelaysMs,
    queuePatientEmail: mailer !== null,
    onChange: publish,
  });
  const reconciler = createFeedReconciler({
    db,
    client,
    logger,
    clock,
    intervalMs: config.reconcileIntervalMs ?? DEFAULT_RECONCILE_INTERVAL_MS,
    settleMs: config.reconcileSettleMs ?? DEFAULT_RECONCILE_SETTLE_MS,
    onStored: () => processor.wake(),
    onRun: () => changes.publish({ kind: "reconciliation" }),
  });
  const stopping = new AbortController();
  // While draining, webhooks get 503 (retried by the insurer); the rest still answers.
  const gate = createDrainGate({
    exempt: ["/healthz", "/readyz"],
    refuse: (c) => {
      if (c.req.path !== WEBHOOK_PATH) return undefined;
      c.header("retry-after", "5");
      return c.json({ error: "Clinic shutting down", reason: "not_ready" }, 503);
    },
  });
  const readiness: ReadinessChecks = {
    draining: () => (gate.draining() ? "draining" : undefined),
    database: () => {
      db.get(sql`select 1`);
      return undefined;
    },
    registration: () => (loadRegistration(db) ? undefined : "not registered"),
    processor: () => (processor.running() ? undefined : "not running"),
  };

  const app = new Hono()
    .use(gate.middleware)
    .get("/healthz", (c) => c.json({ ok: true, registered: loadRegistration(db) !== undefined }))
    .get("/readyz", async (c) => {
      const result = await checkReadiness(readiness);
      return c.json(result, readinessStatus(result));
    })
    // A server span per call of the clinic's own API (a submission continues at the insurer).
    .use(
      `${API_PATH}/*`,
      traceRequests((c) => `${c.req.method} ${c.req.path}`),
    )
    .route("/", createWebhookReceiver({ db, logger, clock, onStored: () => processor.wake() }))
    .route(
      "/",
      createApiRoutes({
        db,
        client,
        clock,
        logger,
        changes: { publish, subscribe: changes.subscribe },
        reconciler,
        wakeProcessor: () => processor.wake(),
        defaultLanguage: config.defaultLanguage ?? "en",
        queuePatientEmail: mailer !== null,
      }),
    )
    .route("/", createPatientEventsRoutes({ db, changes }))
    .route("/", createWebAppRoutes({ dir: config.webAppDir ?? null }));

  app.onError((error, c) => {
    logger.error({ error: error.message, path: c.req.path }, "request failed");
    return c.json({ error: "Internal error" }, 500);
  });

  return {
    app,
    processor,
    mailer,
    reconciler,
    changes,
    readiness,
    async start() {
      processor.start();
      mailer?.start();
      const registration = await ensureEndpoint({
        db,
        client,
        publicUrl: config.publicUrl,
        logger,
        clock,
        signal: stopping.signal,
        retryDelayMs: config.registrationRetryDelayMs,
      });
      // After registration: webhooks flow from now on, and the feed brings what they missed.
      reconciler.start();
      return registration;
    },
    drain: () => gate.drain(),
    stop() {
      void gate.drain();
      stopping.abort(new Error("clinic stopping"));
      reconciler.stop();
      processor.stop();
      mailer?.stop();
    },
  };
}
