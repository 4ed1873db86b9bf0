import {
  type Actor,
  type Claim,
  type ClaimPage,
  type ClaimStatus,
  canTransition,
  claimTotal,
  DECISION_STATUSES,
  type DecideClaimInput,
  decisionDeadline,
  MinorUnitsSchema,
  OPEN_STATUSES,
  type SubmitClaimInput,
} from "@claimwire/contracts";
import { newId } from "@claimwire/ids";
import { preparedStatement, type Tables } from "@claimwire/insurer-db";
import { and, asc, desc, eq, inArray, lt, type SQL, sql } from "drizzle-orm";
import type { Principal } from "./api-keys.ts";
import { decodeCursor, encodeCursor } from "./claim-cursor.ts";
import { buildClaimEvent } from "./claim-events.ts";
import { DomainError } from "./domain-error.ts";
import { appendEvent } from "./outbox.ts";
import type { Services } from "./services.ts";

type ClaimRow = Tables["claims"]["$inferSelect"];

export function toClaim(row: ClaimRow): Claim {
  const money = (amount: number) => ({ amount, currency: row.currency });
  return {
    id: row.id,
    clinicId: row.clinicId,
    clinicReference: row.clinicReference,
    patientRef: row.patientRef,
    policyNumber: row.policyNumber,
    currency: row.currency,
    serviceLines: row.serviceLines,
    total: money(row.totalAmount),
    status: row.status,
    version: row.version,
    submittedAt: row.submittedAt,
    decisionDueAt: row.decisionDueAt,
    decidedAt: row.decidedAt,
    approvedAmount: row.approvedAmount === null ? null : money(row.approvedAmount),
    reasonCodes: row.reasonCodes,
    paymentReference: row.paymentReference,
    updatedAt: row.updatedAt,
  };
}

function notFound(claimId: string): DomainError {
  return new DomainError("NOT_FOUND", `No claim with id '${claimId}'`);
}

/** A clinic's claim by its own reference: the check of an idempotent submission. */
const claimByReference = preparedStatement("claim_by_reference", (db, { claims }) =>
  db
    .select()
    .from(claims)
    .where(
      and(
        eq(claims.clinicId, sql.placeholder("clinicId")),
        eq(claims.clinicReference, sql.placeholder("clinicReference")),
      ),
    ),
);

/** A new claim, every column a placeholder named as the row's field. */
const insertClaim = preparedStatement("insert_claim", (db, { claims }) =>
  db.insert(claims).values({
    id: sql.placeholder("id"),
    clinicId: sql.placeholder("clinicId"),
    clinicReference: sql.placeholder("clinicReference"),
    patientRef: sql.placeholder("patientRef"),
    policyNumber: sql.placeholder("policyNumber"),
    currency: sql.placeholder("currency"),
    serviceLines: sql.placeholder("serviceLines"),
    totalAmount: sql.placeholder("totalAmount"),
    status: sql.placeholder("status"),
    version: sql.placeholder("version"),
    submittedAt: sql.placeholder("submittedAt"),
    decisionDueAt: sql.placeholder("decisionDueAt"),
    decidedAt: sql.placeholder("decidedAt"),
    approvedAmount: sql.placeholder("approvedAmount"),
    reasonCodes: sql.placeholder("reasonCodes"),
    paymentReference: sql.placeholder("paymentReference"),
    updatedAt: sql.placeholder("updatedAt"),
  }),
);

/** The parts of a submission that must match for a resubmission to be the same claim. */
function submissionFingerprint(s: Omit<SubmitClaimInput, "clinicReference">): string {
  return JSON.stringify([
    s.patientRef,
    s.policyNumber,
    s.currency,
    s.serviceLines.map((l) => [l.code, l.serviceDate, l.quantity, l.unitAmount]),
  ]);
}

/**
 * Submits a claim, idempotently on (clinic, clinicReference): a resubmission with the
 * same body returns the existing claim and writes nothing; a different body is a
 * CONFLICT (the clinic reused a reference, which we must not paper over).
 */
export async function submitClaim(
  services: Services,
  clinicId: string,
  input: SubmitClaimInput,
): Promise<Claim> {
  const { store } = services;
  const total = claimTotal(input.serviceLines);
  if (!MinorUnitsSchema.safeParse(total).success) {
    throw new DomainError(
      "BAD_REQUEST",
      `serviceLines: the total ${total} is larger than any claim we accept`,
    );
  }
  const now = new Date();
  const at = now.toISOString();
  // One transaction, so the check-then-insert below cannot interleave with another
  // writer's (../../../insurer-db/src/store.ts).
  const result = await store.transaction(async (tx) => {
    const [existing] = await claimByReference(store, tx).execute({
      clinicId,
      clinicReference: input.clinicReference,
    });
    if (existing) {
      if (submissionFingerprint(existing) === submissionFingerprint(input)) {
        return { claim: toClaim(existing), created: false };
      }
      throw new DomainError(
        "CONFLICT",
        `Claim reference '${input.clinicReference}' was already used for claim '${existing.id}' with different details`,
      );
    }
    const row: ClaimRow = {
      id: newId("claim", now.getTime()),
      clinicId,
      clinicReference: input.clinicReference,
      patientRef: input.patientRef,
      policyNumber: input.policyNumber,
      currency: input.currency,
      serviceLines: input.serviceLines,
      totalAmount: total,
      status: "submitted",
      version: 1,
      submittedAt: at,
      decisionDueAt: decisionDeadline(now).toISOString(),
      decidedAt: null,
      approvedAmount: null,
      reasonCodes: [],
      paymentReference: null,
      updatedAt: at,
    };
    await insertClaim(store, tx).execute(row);
    const claim = toClaim(row);
    await appendEvent(store, tx, buildClaimEvent(claim, null), at);
    return { claim, created: true };
  });
  if (result.created) services.outbox.notify();
  return result.claim;
}

/** A clinic sees only its own claims (another clinic's is NOT_FOUND, not FORBIDDEN: no probing). */
export async function getClaim(
  services: Services,
  viewer: Principal,
  claimId: string,
): Promise<Claim> {
  const { claims } = services.store.tables;
  const scope = viewer.role === "clinic" ? eq(claims.clinicId, viewer.clinicId) : undefined;
  const [row] = await services.store.db
    .select()
    .from(claims)
    .where(and(eq(claims.id, claimId), scope));
  if (!row) throw notFound(claimId);
  return toClaim(row);
}

/** A clinic's claims, newest first (ids sort by creation time). */
export async function listClaims(
  services: Services,
  clinicId: string,
  page: { cursor?: string | undefined; limit: number },
): Promise<ClaimPage> {
  const { claims } = services.store.tables;
  const conditions: SQL[] = [eq(claims.clinicId, clinicId)];
  if (page.cursor) conditions.push(lt(claims.id, decodeCursor(page.cursor)));
  const rows = await services.store.db
    .select()
    .from(claims)
    .where(and(...conditions))
    .orderBy(desc(claims.id))
    .limit(page.limit + 1);
  const items = rows.slice(0, page.limit).map(toClaim);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > page.limit && last ? encodeCursor(last.id) : null };
}

/** Open claims across all clinics, earliest decision deadline first (the staff work queue). */
export async function claimQueue(services: Services, limit: number): Promise<Claim[]> {
  const { claims } = services.store.tables;
  const rows = await services.store.db
    .select()
    .from(claims)
    .where(inArray(claims.status, [...OPEN_STATUSES]))
    .orderBy(asc(claims.decisionDueAt), asc(claims.id))
    .limit(limit);
  return rows.map(toClaim);
}

export function withdrawClaim(
  services: Services,
  clinicId: string,
  claimId: string,
): Promise<Claim> {
  return changeStatus(services, { claimId, clinicId, actor: "clinic", to: "withdrawn" });
}

/** Insurer staff (or the simulator) move a claim on; the input carries what each step needs. */
export function decideClaim(services: Services, input: DecideClaimInput): Promise<Claim> {
  return changeStatus(services, {
    claimId: input.claimId,
    actor: "insurer",
    to: input.to,
    change: (current) => {
      switch (input.to) {
        case "in_review":
          // Reason codes of an earlier request for information no longer apply.
          return { reasonCodes: [] };
        case "needs_info":
        case "rejected":
          return { reasonCodes: input.reasonCodes };
        case "approved":
          return { approvedAmount: current.totalAmount, reasonCodes: [] };
        case "partially_approved":
          if (input.approvedAmount < 1 || input.approvedAmount >= current.totalAmount) {
            throw new DomainError(
              "BAD_REQUEST",
              `approvedAmount: must be between 1 and ${current.totalAmount - 1} for a partial approval of claim '${current.id}'`,
            );
          }
          return { approvedAmount: input.approvedAmount, reasonCodes: input.reasonCodes };
        case "paid":
          return { paymentReference: input.paymentReference };
      }
    },
  });
}

/**
 * The one way a claim's status changes: checked against the shared state machine, the
 * version bumped, and the event appended in the same transaction. An illegal step
 * throws before anything is written.
 */
async function changeStatus(
  services: Services,
  step: {
    claimId: string;
    /** Set when a clinic acts: the claim must be its own. */
    clinicId?: string;
    actor: Actor;
    to: ClaimStatus;
    change?: (current: ClaimRow) => Partial<ClaimRow>;
  },
): Promise<Claim> {
  const { store } = services;
  const { claims } = store.tables;
  const at = new Date().toISOString();
  const claim = await store.transaction(async (tx) => {
    const scope = step.clinicId ? eq(claims.clinicId, step.clinicId) : undefined;
    const [current] = await tx
      .select()
      .from(claims)
      .where(and(eq(claims.id, step.claimId), scope));
    if (!current) throw notFound(step.claimId);
    if (!canTransition(current.status, step.to, step.actor)) {
      throw new DomainError(
        "CONFLICT",
        `Claim '${current.id}' cannot go from '${current.status}' to '${step.to}'`,
      );
    }
    const next: ClaimRow = {
      ...current,
      ...step.change?.(current),
      status: step.to,
      version: current.version + 1,
      decidedAt: DECISION_STATUSES.includes(step.to) ? at : current.decidedAt,
      updatedAt: at,
    };
    await tx.update(claims).set(next).where(eq(claims.id, current.id));
    const claim = toClaim(next);
    await appendEvent(store, tx, buildClaimEvent(claim, current.status), at);
    return claim;
  });
  services.outbox.notify();
  return claim;
}
