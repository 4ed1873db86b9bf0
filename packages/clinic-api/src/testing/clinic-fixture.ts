// Test helpers: a real clinic on a temporary SQLite file, and signed deliveries.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ClinicDatabase, openDatabase } from "@claimwire/clinic-db";
import {
  type Claim,
  type ClaimEvent,
  WEBHOOK_EVENT_EXAMPLES,
  type WebhookEvent,
} from "@claimwire/contracts";
import { newId } from "@claimwire/ids";
import { buildWebhookHeaders, generateSecret } from "@claimwire/webhooks";
import pino from "pino";
import type { Clock } from "../clock.ts";
import { type ClinicApp, type ClinicDeps, createClinicApp } from "../create-clinic-app.ts";
import type { ClinicInsurerApi } from "../insurer-api.ts";
import { saveRegistration } from "../registration/endpoint-registration.ts";

export const silentLogger = pino({ level: "silent" });

/** A clock that only moves when the test moves it. */
export function manualClock(start = Date.parse("2026-11-30T09:00:00.000Z")) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  } satisfies Clock & { advance(ms: number): void };
}

/** An insurer client for tests that must not reach the insurer: any call fails the test. */
export const unusedInsurer: ClinicInsurerApi = new Proxy({} as ClinicInsurerApi, {
  get(_target, name) {
    throw new Error(`the insurer API was called (${String(name)}) but this test must not call it`);
  },
});

export type TestClinic = ClinicApp & {
  db: ClinicDatabase;
  clock: ReturnType<typeof manualClock>;
  secret: string;
  /** POSTs a signed event to the receiver, as the delivery worker would. */
  deliver(event: WebhookEvent, options?: DeliverOptions): Promise<Response>;
  /**
   * POSTs a signed body given as raw text or bytes: an event type the contracts do not
   * know, keys such as `__proto__`, bytes that no `JSON.stringify` would write.
   */
  deliverBody(body: string | Uint8Array, options?: DeliverOptions): Promise<Response>;
  close(): void;
};

export type DeliverOptions = { webhookId?: string; secret?: string; signedAt?: number };

/**
 * A clinic on a fresh SQLite file in a temp dir, migrated like production, with an
 * endpoint registration stored directly (no insurer needed).
 */
export function createTestClinic(
  overrides: Partial<Omit<ClinicDeps, "db">> & { register?: boolean } = {},
): TestClinic {
  const dir = mkdtempSync(join(tmpdir(), "clinic-test-"));
  const { db, close } = openDatabase(join(dir, "clinic.sqlite"));
  const clock = manualClock();
  const secret = generateSecret();
  if (overrides.register !== false) {
    saveRegistration(db, {
      endpointId: newId("endpoint"),
      secret,
      url: "http://127.0.0.1:3000/webhooks/insurer",
      registeredAt: new Date(clock.now()).toISOString(),
    });
  }
  // A stand-in for the built web app (apps/clinic-web/dist), so tests need no build.
  const webAppDir = join(dir, "web");
  mkdirSync(webAppDir);
  writeFileSync(
    join(webAppDir, "index.html"),
    '<!doctype html><html lang="en"><head><title>Clinic</title></head><body><div id="root"></div></body></html>',
  );
  const clinic = createClinicApp({
    db,
    client: unusedInsurer,
    logger: silentLogger,
    clock,
    ...overrides,
    config: {
      publicUrl: "http://127.0.0.1:3000",
      gapWaitMs: 30_000,
      webAppDir,
      ...overrides.config,
    },
  });
  const deliverBody: TestClinic["deliverBody"] = async (
    body,
    { webhookId = newId("event"), secret: signWith = secret, signedAt } = {},
  ) => {
    const headers = buildWebhookHeaders({
      secrets: [signWith],
      msgId: webhookId,
      timestamp: Math.floor((signedAt ?? clock.now()) / 1000),
      body,
    });
    return await clinic.app.request("/webhooks/insurer", {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: typeof body === "string" ? body : new Uint8Array(body),
    });
  };
  return {
    ...clinic,
    db,
    clock,
    secret,
    deliver: async (event, options) => await deliverBody(JSON.stringify(event), options),
    deliverBody,
    close() {
      clinic.stop();
      close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The events of one claim's life, version 1 to 4: submitted, in review, approved (€185.00),
 * paid. Built from the contracts' examples so they parse with the real schema.
 */
export function claimLifecycle(claimId = newId("claim"), clinicReference = "INV-2026-0042") {
  const examples = WEBHOOK_EVENT_EXAMPLES;
  const at = (minutes: number) => new Date(Date.UTC(2026, 10, 30, 9, minutes)).toISOString();
  return [
    {
      ...examples["claim.submitted"],
      timestamp: at(0),
      data: { ...examples["claim.submitted"].data, claimId, clinicReference },
    },
    {
      ...examples["claim.in_review"],
      timestamp: at(1),
      data: { ...examples["claim.in_review"].data, claimId, clinicReference },
    },
    {
      ...examples["claim.approved"],
      timestamp: at(2),
      data: { ...examples["claim.approved"].data, claimId, clinicReference },
    },
    {
      ...examples["claim.paid"],
      timestamp: at(3),
      data: { ...examples["claim.paid"].data, claimId, clinicReference },
    },
  ] as [ClaimEvent, ClaimEvent, ClaimEvent, ClaimEvent];
}

/** The claim the insurer returns from `claims.submit` for the first event of `claimLifecycle`. */
export function submittedClaim(event: ClaimEvent, patientRef = "pat_8f3k2m9x"): Claim {
  return {
    id: event.data.claimId,
    clinicId: event.data.clinicId,
    clinicReference: event.data.clinicReference,
    patientRef,
    policyNumber: "POL-123456",
    currency: event.data.total.currency,
    serviceLines: [
      {
        code: "99213",
        serviceDate: "2026-11-27",
        quantity: 1,
        unitAmount: event.data.total.amount,
      },
    ],
    total: event.data.total,
    status: "submitted",
    version: 1,
    submittedAt: event.timestamp,
    decisionDueAt: event.data.decisionDueAt,
    decidedAt: null,
    approvedAmount: null,
    reasonCodes: [],
    paymentReference: null,
    updatedAt: event.timestamp,
  };
}
