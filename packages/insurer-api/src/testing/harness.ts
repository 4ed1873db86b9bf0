import { isClaimEvent, WebhookEventSchema } from "@claimwire/contracts";
import type { Store } from "@claimwire/insurer-db";
import { openPostgresStore } from "@claimwire/insurer-db";
import { createTestStore, type TestStore } from "@claimwire/insurer-db/testing";
import { type Principal, resolvePrincipal } from "@claimwire/insurer-domain";
import { type EndpointConfig, EndpointConfigSchema, openQueue, type Queue } from "@claimwire/queue";
import { startNatsServer, type TestNatsServer } from "@claimwire/queue/testing";
import { type inferProcedureInput, TRPCError } from "@trpc/server";
import { pino } from "pino";
import { expect } from "vitest";
import { createInsurer, type Insurer } from "../create-insurer.ts";
import { parseEnv } from "../env.ts";
import { type AppRouter, createCaller } from "../routers/root.ts";
import { createContextInner } from "../routers/trpc.ts";

export const STAFF_KEY = "cw_staff_test_key_0123456789";

export type Caller = ReturnType<typeof createCaller>;

/** A clinic made by `newClinic`: its id, its API key, and a caller authenticated with it. */
export type TestClinic = { clinicId: string; apiKey: string; caller: Caller };

export type TestInsurer = {
  insurer: Insurer;
  /** The insurer's store: SQLite, or PostgreSQL when CLAIMWIRE_TEST_STORE=postgres. */
  store: Store;
  /** Where the store is: what another process would be given to open it. */
  storeEnv: TestStore["env"];
  queue: Queue;
  nats: TestNatsServer;
  /** Set when started with `start: true`. */
  url?: string;
  baseUrl?: string;
  caller(principal: Principal | null): Caller;
  staff: Caller;
  /** Creates a clinic through the staff API and a caller that authenticates with its key. */
  newClinic(name?: string): Promise<TestClinic>;
  stop(): Promise<void>;
};

/**
 * The insurer in-process, on a fresh store (a SQLite file, or a PostgreSQL database of
 * its own when CLAIMWIRE_TEST_STORE=postgres; migrated like production) and a private
 * nats-server. `start: false` builds it without HTTP or background loops, for
 * tests that drive the routers and the loops by hand.
 */
export async function startTestInsurer(
  opts: {
    start?: boolean;
    env?: Record<string, string>;
    random?: () => number;
    /** The retry jitter's random source; 0.5 gives the scheduled delays exactly. */
    retryRandom?: () => number;
    /** The clock of idempotency expiry and rate limits. */
    now?: () => number;
    /** A built console to serve at /console/. */
    consoleDir?: string;
    /**
     * A second insurer process beside `joining`: the same PostgreSQL database (through a
     * store of its own) and the same nats-server. Stopping it leaves both to `joining`.
     */
    joining?: TestInsurer;
  } = {},
): Promise<TestInsurer> {
  const { joining } = opts;
  let testStore: TestStore;
  if (joining) {
    if (!("DATABASE_URL" in joining.storeEnv)) {
      throw new Error("Several insurer processes need PostgreSQL: SQLite is one process per file");
    }
    const { DATABASE_URL } = joining.storeEnv;
    const joined = await openPostgresStore(DATABASE_URL);
    testStore = { store: joined, env: joining.storeEnv, drop: () => joined.close() };
  } else testStore = await createTestStore();
  const { store } = testStore;
  const nats = joining?.nats ?? (await startNatsServer());
  const queue = await openQueue({ servers: nats.url, name: "insurer-test" });
  const env = parseEnv({
    INSURER_PORT: "0",
    INSURER_STAFF_API_KEY: STAFF_KEY,
    // Test endpoints are plain-http loopback servers or never dialed.
    ENDPOINT_ALLOW_HTTP: "true",
    ENDPOINT_ALLOW_PRIVATE_NETWORKS: "127.0.0.0/8,::1/128",
    // Suites submit thousands of claims through one key; rate-limits.test.ts sets its own.
    RATE_LIMIT_PER_SECOND: "1000000",
    RATE_LIMIT_BURST: "1000000",
    ...opts.env,
  });
  const log = pino({ level: process.env.LOG_LEVEL ?? "silent" });
  const insurer = createInsurer({
    env,
    store,
    queue,
    log,
    ...(opts.random ? { random: opts.random } : {}),
    ...(opts.retryRandom ? { retryRandom: opts.retryRandom } : {}),
    ...(opts.now ? { now: opts.now } : {}),
    ...(opts.consoleDir ? { consoleDir: opts.consoleDir } : {}),
  });
  const started = opts.start ? await insurer.start() : undefined;

  const caller = (principal: Principal | null) =>
    createCaller(createContextInner({ principal, services: insurer.services }));
  const staff = caller({ role: "insurer" });
  return {
    insurer,
    store,
    storeEnv: testStore.env,
    queue,
    nats,
    ...started,
    caller,
    staff,
    async newClinic(name = "Test Clinic") {
      const { clinic, apiKey } = await staff.clinics.create({ name });
      const principal = await resolvePrincipal(insurer.services, apiKey);
      return { clinicId: clinic.id, apiKey, caller: caller(principal) };
    },
    async stop() {
      await insurer.stop();
      await queue.close();
      await testStore.drop();
      if (!joining) await nats.stop();
    },
  };
}

/**
 * Producer verification: every event the insurer wrote to its outbox parses with the
 * shared contract, and matches the row's own columns. Called after each suite.
 */
export async function expectOutboxMatchesContract(h: TestInsurer): Promise<void> {
  const rows = await h.store.db.select().from(h.store.tables.events);
  for (const row of rows) {
    const event = WebhookEventSchema.parse(row.payload);
    expect(event.type).toBe(row.type);
    expect(event.data.clinicId).toBe(row.clinicId);
    if (isClaimEvent(event)) {
      expect(event.data.version).toBe(row.version);
      expect(event.data.claimId).toBe(row.claimId);
    } else {
      // Operational events belong to no claim.
      expect([row.claimId, row.version]).toEqual([null, null]);
    }
  }
}

/** After a suite: checks the insurer's outbox against the contract, then stops it. */
export async function checkOutboxAndStop(h: TestInsurer | undefined): Promise<void> {
  if (!h) return; // beforeAll failed, and says so
  await expectOutboxMatchesContract(h);
  await h.stop();
}

/** What a delivery worker would read for an endpoint, or null when it is not there. */
export async function endpointConfigInKv(
  h: TestInsurer,
  endpointId: string,
): Promise<EndpointConfig | null> {
  const entry = await h.queue.endpoints.get(endpointId);
  if (entry?.operation !== "PUT") return null;
  return EndpointConfigSchema.parse(entry.json());
}

export type SubmitClaim = inferProcedureInput<AppRouter["claims"]["submit"]>;

let references = 0;
/** A valid submission (total 18 500); each call gets a fresh clinic reference. */
export function claimInput(overrides: Partial<SubmitClaim> = {}): SubmitClaim {
  references++;
  return {
    clinicReference: `INV-${Date.now()}-${references}`,
    patientRef: "pat_8f3k2m9x",
    policyNumber: "POL-123456",
    currency: "EUR",
    serviceLines: [
      { code: "99213", serviceDate: "2026-11-20", quantity: 2, unitAmount: 7_500 },
      { code: "81002", serviceDate: "2026-11-20", quantity: 1, unitAmount: 3_500 },
    ],
    ...overrides,
  };
}

/** Awaits a call that must fail with a tRPC error of `code`; returns the error. */
export async function expectTrpcError(promise: Promise<unknown>, code: TRPCError["code"]) {
  const err = await promise.then(
    () => {
      throw new Error(`expected ${code}, but the call succeeded`);
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TRPCError);
  expect((err as TRPCError).code).toBe(code);
  return err as TRPCError;
}
