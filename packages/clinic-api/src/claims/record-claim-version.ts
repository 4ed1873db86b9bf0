import type { DbExecutor, PatientLanguage } from "@claimwire/clinic-db";
import { claimStatusHistory, claims, patientNotifications } from "@claimwire/clinic-db";
import type { Claim, ClaimEvent, ClaimStatus, ClaimStatusSummary } from "@claimwire/contracts";
import { and, eq, getTableColumns, type Placeholder, sql } from "drizzle-orm";
import { enqueuePatientEmail } from "../mail/enqueue-patient-email.ts";
import { patientMessage } from "./patient-message.ts";
import { newPatientToken } from "./patient-token.ts";

/** A claim's state at one version, from a webhook event or from the insurer's API. */
export type ClaimVersion = {
  claimId: string;
  clinicReference: string;
  status: ClaimStatus;
  version: number;
  totalAmount: number;
  currency: string;
  decisionDueAt: string;
  /** When this version came about. */
  occurredAt: string;
  // `undefined` below means "this source does not say": the stored value is kept.
  patientRef?: string;
  submittedAt?: string;
  approvedAmount?: number | null;
  paidAmount?: number | null;
  reasonCodes?: readonly string[];
  paymentReference?: string | null;
  /** Only from the clinic's own submission: never sent by, or to, the insurer. */
  patientContact?: PatientContact;
};

/** Where and in which language the patient wants their e-mails. */
export type PatientContact = { email: string; language: PatientLanguage };

/** A claim row's columns but the id, each as `excluded.<column>`: the upsert's update. */
const { id: _claimId, ...claimChanges } = getTableColumns(claims);
const fromExcluded = Object.fromEntries(
  Object.entries(claimChanges).map(([key, column]) => [
    key,
    sql`excluded.${sql.identifier(column.name)}`,
  ]),
);

/** Every column a placeholder named as the field. */
const placeholders = <K extends string>(keys: readonly K[]) =>
  Object.fromEntries(keys.map((key) => [key, sql.placeholder(key)])) as unknown as Record<
    K,
    Placeholder
  >;

/**
 * The statements every applied event runs, prepared once per database handle: the
 * processor passes the database itself (its transaction runs on the same connection), so
 * they are built once for the process, not by the query builder for every event.
 */
function prepareStatements(db: DbExecutor) {
  return {
    claimById: db
      .select()
      .from(claims)
      .where(eq(claims.id, sql.placeholder("id")))
      .prepare(),
    upsertClaim: db
      .insert(claims)
      .values(
        placeholders(Object.keys(getTableColumns(claims)) as (keyof typeof claims.$inferInsert)[]),
      )
      .onConflictDoUpdate({ target: claims.id, set: fromExcluded })
      .prepare(),
    addHistory: db
      .insert(claimStatusHistory)
      .values(
        placeholders(["claimId", "version", "status", "webhookId", "occurredAt", "appliedAt"]),
      )
      .onConflictDoNothing()
      .prepare(),
    addNotification: db
      .insert(patientNotifications)
      .values({
        ...placeholders(["claimId", "version", "message", "createdAt"]),
        channel: "log",
      })
      .onConflictDoNothing()
      .prepare(),
  };
}
const prepared = new WeakMap<DbExecutor, ReturnType<typeof prepareStatements>>();
function statementsFor(db: DbExecutor) {
  let statements = prepared.get(db);
  if (!statements) {
    statements = prepareStatements(db);
    prepared.set(db, statements);
  }
  return statements;
}

export type RecordOutcome = { applied: true; notification: string } | { applied: false };

/**
 * Makes `next` the claim's current state if it is newer than what is stored, with its
 * history row, patient notification and (with `queueEmail`, if the patient gave an address)
 * the patient's e-mail in the outbox; otherwise changes nothing but fills in what only
 * this source knows (the patient reference and submission time from the submit response).
 * Run it inside a transaction: it reads, then writes.
 */
export function recordClaimVersion(
  db: DbExecutor,
  next: ClaimVersion,
  {
    webhookId,
    now,
    queueEmail = false,
  }: {
    webhookId: string | null;
    now: string;
    /** E-mail is on: put the patient's e-mail about this change in the clinic's outbox. */
    queueEmail?: boolean;
  },
): RecordOutcome {
  const statements = statementsFor(db);
  const current = statements.claimById.get({ id: next.claimId });

  if (current && current.version >= next.version) {
    const patientRef = current.patientRef ?? next.patientRef ?? null;
    const submittedAt = current.submittedAt ?? next.submittedAt ?? null;
    if (patientRef !== current.patientRef || submittedAt !== current.submittedAt) {
      db.update(claims).set({ patientRef, submittedAt }).where(eq(claims.id, next.claimId)).run();
    }
    if (next.patientContact && current.patientEmail === null) {
      // The webhook overtook the submit response: the patient's address arrives after the
      // status it should have been told about, so that status is e-mailed now.
      db.update(claims)
        .set({
          patientEmail: next.patientContact.email,
          patientLanguage: next.patientContact.language,
        })
        .where(eq(claims.id, next.claimId))
        .run();
      if (queueEmail) {
        enqueuePatientEmail(db, {
          claimId: current.id,
          version: current.version,
          status: current.status,
          recipient: next.patientContact.email,
          language: next.patientContact.language,
          now,
        });
      }
    }
    return { applied: false };
  }

  const row = {
    id: next.claimId,
    clinicReference: next.clinicReference,
    patientRef: current?.patientRef ?? next.patientRef ?? null,
    status: next.status,
    version: next.version,
    totalAmount: next.totalAmount,
    currency: next.currency,
    approvedAmount:
      next.approvedAmount !== undefined ? next.approvedAmount : (current?.approvedAmount ?? null),
    paidAmount: next.paidAmount !== undefined ? next.paidAmount : (current?.paidAmount ?? null),
    reasonCodes: JSON.stringify(next.reasonCodes ?? JSON.parse(current?.reasonCodes ?? "[]")),
    paymentReference:
      next.paymentReference !== undefined
        ? next.paymentReference
        : (current?.paymentReference ?? null),
    decisionDueAt: next.decisionDueAt,
    patientToken: current?.patientToken ?? newPatientToken(),
    submittedAt: current?.submittedAt ?? next.submittedAt ?? null,
    updatedAt: next.occurredAt,
    patientEmail: current?.patientEmail ?? next.patientContact?.email ?? null,
    patientLanguage: current?.patientLanguage ?? next.patientContact?.language ?? null,
  };
  statements.upsertClaim.run(row);
  statements.addHistory.run({
    claimId: next.claimId,
    version: next.version,
    status: next.status,
    webhookId,
    occurredAt: next.occurredAt,
    appliedAt: now,
  });

  const notification = patientMessage(row);
  statements.addNotification.run({
    claimId: next.claimId,
    version: next.version,
    message: notification,
    createdAt: now,
  });
  if (queueEmail && row.patientEmail) {
    enqueuePatientEmail(db, {
      claimId: next.claimId,
      version: next.version,
      status: next.status,
      recipient: row.patientEmail,
      language: row.patientLanguage ?? "en",
      now,
    });
  }
  return { applied: true, notification };
}

/** Whether this claim version was already applied (and so is a duplicate, not stale). */
export function hasVersion(db: DbExecutor, claimId: string, version: number): boolean {
  const row = db
    .select({ version: claimStatusHistory.version })
    .from(claimStatusHistory)
    .where(and(eq(claimStatusHistory.claimId, claimId), eq(claimStatusHistory.version, version)))
    .get();
  return row !== undefined;
}

/**
 * The claim state an event carries. Its `summary` is the claim's decision fields as the
 * insurer has them after this change, stored as it is; an event written before the
 * summary existed says only what its status adds, and the rest is kept.
 */
export function claimVersionFromEvent(event: ClaimEvent): ClaimVersion {
  const { data } = event;
  return {
    claimId: data.claimId,
    clinicReference: data.clinicReference,
    status: data.status,
    version: data.version,
    totalAmount: data.total.amount,
    currency: data.total.currency,
    decisionDueAt: data.decisionDueAt,
    occurredAt: event.timestamp,
    ...(event.type === "claim.submitted" ? { submittedAt: event.timestamp } : {}),
    ...(data.summary ? fromSummary(data.summary) : fromStatusFields(data)),
  };
}

function fromSummary(summary: ClaimStatusSummary): Partial<ClaimVersion> {
  return {
    approvedAmount: summary.approvedAmount?.amount ?? null,
    paidAmount: summary.paidAmount?.amount ?? null,
    reasonCodes: summary.reasonCodes,
    paymentReference: summary.paymentReference,
  };
}

function fromStatusFields(data: ClaimEvent["data"]): Partial<ClaimVersion> {
  return {
    ...("approvedAmount" in data ? { approvedAmount: data.approvedAmount.amount } : {}),
    ...("paidAmount" in data ? { paidAmount: data.paidAmount.amount } : {}),
    ...("reasonCodes" in data ? { reasonCodes: data.reasonCodes } : {}),
    ...("paymentReference" in data ? { paymentReference: data.paymentReference } : {}),
  };
}

/** The claim state the insurer's API returned (e.g. from `claims.submit`). */
export function claimVersionFromClaim(claim: Claim): ClaimVersion {
  return {
    claimId: claim.id,
    clinicReference: claim.clinicReference,
    status: claim.status,
    version: claim.version,
    totalAmount: claim.total.amount,
    currency: claim.total.currency,
    decisionDueAt: claim.decisionDueAt,
    occurredAt: claim.updatedAt,
    patientRef: claim.patientRef,
    submittedAt: claim.submittedAt,
    approvedAmount: claim.approvedAmount?.amount ?? null,
    reasonCodes: claim.reasonCodes,
    paymentReference: claim.paymentReference,
  };
}
