import type { ChaosClinic } from "../src/harness/chaos-system.ts";
import { readClinicDb } from "../src/harness/clinic-db.ts";
import { readInsurerDb } from "../src/harness/insurer-db.ts";

/**
 * The auditor of a chaos run. For every event the insurer committed and every endpoint
 * subscribed to it, it looks in the insurer's database (events, deliveries, attempts)
 * and the clinic's (inbox, claims, patient notifications) and classifies the pair:
 *
 * - delivered: the insurer recorded a 2xx and the event is in the clinic's inbox;
 * - delivered more than once: the same, and the clinic acknowledged it more than once
 *   (its inbox suppressed the copies: one row per webhook-id);
 * - lost: no delivery, or the message is not in the clinic's inbox;
 * - unconfirmed: in the clinic's inbox, but the insurer never recorded a 2xx (the
 *   delivery is still open or was dead-lettered although it arrived).
 *
 * The effect is the patient notification: one per claim version, never two, none
 * missing. Each clinic's final claim states must equal the insurer's.
 */
export type ClinicVerdict = {
  clinic: string;
  events: number;
  /** Event × subscribed endpoint pairs. */
  expected: number;
  deliveredOnce: number;
  deliveredMoreThanOnce: number;
  /** Not in the clinic's inbox (or never fanned out). */
  lost: number;
  /** In the clinic's inbox, but the insurer never recorded a 2xx for it. */
  unconfirmed: number;
  /** Examples of lost and unconfirmed pairs. */
  lostExamples: string[];
  /** Webhook POSTs through the clinic's fault proxy, and what it did to them. */
  posts: number;
  injected500: number;
  stalled: number;
  unreachable: number;
  /** Attempts the insurer recorded for this clinic's endpoints. */
  attempts: number;
  inboxRows: number;
  /** Inbox rows not brought by a webhook (reconciliation from the feed): 0 in a chaos run. */
  inboxFromFeed: number;
  inboxFailed: number;
  /** Acknowledged copies of a message the inbox already had. */
  duplicatesSuppressed: number;
  notifications: number;
  doubleNotifications: number;
  missingNotifications: number;
  claims: number;
  stateMismatches: string[];
};

type EventRow = { id: string; claim_id: string | null; version: number | null; type: string };
type EndpointRow = { id: string; event_types: string; created_at: string };
type DeliveryRow = { event_id: string; endpoint_id: string; status: string };
type ClaimState = {
  id: string;
  status: string;
  version: number;
  approved_amount: number | null;
  payment_reference: string | null;
  reason_codes: string;
};

const CLAIM_COLUMNS = "id, status, version, approved_amount, payment_reference, reason_codes";

export function checkClinic(insurerDbPath: string, clinic: ChaosClinic): ClinicVerdict {
  const insurer = readInsurerDb(insurerDbPath, (db) => ({
    events: db
      .prepare("SELECT id, claim_id, version, type, committed_at FROM events WHERE clinic_id = ?")
      .all(clinic.clinicId) as (EventRow & { committed_at: string })[],
    endpoints: db
      .prepare("SELECT id, event_types, created_at FROM endpoints WHERE clinic_id = ?")
      .all(clinic.clinicId) as EndpointRow[],
    deliveries: db
      .prepare(
        `SELECT d.event_id, d.endpoint_id, d.status FROM deliveries d
         JOIN endpoints e ON e.id = d.endpoint_id WHERE e.clinic_id = ?`,
      )
      .all(clinic.clinicId) as DeliveryRow[],
    attempts: (
      db
        .prepare(
          `SELECT count(*) AS n FROM attempts a JOIN deliveries d ON d.id = a.delivery_id
           JOIN endpoints e ON e.id = d.endpoint_id WHERE e.clinic_id = ?`,
        )
        .get(clinic.clinicId) as { n: number }
    ).n,
    claims: db
      .prepare(`SELECT ${CLAIM_COLUMNS} FROM claims WHERE clinic_id = ?`)
      .all(clinic.clinicId) as ClaimState[],
  }));
  const local = readClinicDb(clinic.dbPath, (db) => ({
    inbox: db.prepare("SELECT webhook_id, source, state FROM inbox").all() as {
      webhook_id: string;
      source: string;
      state: string;
    }[],
    notifications: db
      .prepare(
        "SELECT claim_id, version, count(*) AS n FROM patient_notifications GROUP BY claim_id, version",
      )
      .all() as { claim_id: string; version: number; n: number }[],
    claims: db.prepare(`SELECT ${CLAIM_COLUMNS} FROM claims`).all() as ClaimState[],
  }));

  const deliveryOf = new Map(insurer.deliveries.map((d) => [`${d.event_id}|${d.endpoint_id}`, d]));
  const inInbox = new Set(local.inbox.map((m) => m.webhook_id));
  const accepted = clinic.proxy.stats.acceptedByClinic;
  const verdict: ClinicVerdict = {
    clinic: clinic.name,
    events: insurer.events.length,
    expected: 0,
    deliveredOnce: 0,
    deliveredMoreThanOnce: 0,
    lost: 0,
    unconfirmed: 0,
    lostExamples: [],
    posts: clinic.proxy.stats.posts,
    injected500: clinic.proxy.stats.injected500,
    stalled: clinic.proxy.stats.stalled,
    unreachable: clinic.proxy.stats.unreachable,
    attempts: insurer.attempts,
    inboxRows: local.inbox.length,
    inboxFromFeed: local.inbox.filter((m) => m.source !== "webhook").length,
    inboxFailed: local.inbox.filter((m) => m.state === "failed").length,
    duplicatesSuppressed: 0,
    notifications: 0,
    doubleNotifications: 0,
    missingNotifications: 0,
    claims: insurer.claims.length,
    stateMismatches: [],
  };

  for (const event of insurer.events) {
    for (const endpoint of insurer.endpoints) {
      const types = JSON.parse(endpoint.event_types) as string[];
      if (!types.includes(event.type) || endpoint.created_at > event.committed_at) continue;
      verdict.expected += 1;
      const delivery = deliveryOf.get(`${event.id}|${endpoint.id}`);
      const atClinic = inInbox.has(event.id);
      const problem = !delivery
        ? "no delivery"
        : !atClinic
          ? `not in the clinic's inbox (delivery ${delivery.status})`
          : undefined;
      if (problem) {
        verdict.lost += 1;
        if (verdict.lostExamples.length < 5) verdict.lostExamples.push(`${event.id}: ${problem}`);
      } else if (delivery?.status !== "delivered") {
        // The clinic has it, but the insurer never recorded the 2xx: the delivery stays
        // open (or dead-lettered) although it arrived.
        verdict.unconfirmed += 1;
        if (verdict.lostExamples.length < 5) {
          verdict.lostExamples.push(
            `${event.id}: at the clinic, delivery ${delivery?.status} at the insurer`,
          );
        }
      } else if ((accepted.get(event.id) ?? 1) > 1) {
        verdict.deliveredMoreThanOnce += 1;
      } else {
        verdict.deliveredOnce += 1;
      }
    }
  }
  for (const [webhookId, times] of accepted) {
    if (inInbox.has(webhookId)) verdict.duplicatesSuppressed += times - 1;
  }

  // The effect: one notification per claim version the insurer committed.
  const notified = new Map(local.notifications.map((n) => [`${n.claim_id}|${n.version}`, n.n]));
  for (const n of local.notifications) {
    verdict.notifications += n.n;
    if (n.n > 1) verdict.doubleNotifications += n.n - 1;
  }
  for (const event of insurer.events) {
    if (event.claim_id !== null && !notified.has(`${event.claim_id}|${event.version}`)) {
      verdict.missingNotifications += 1;
    }
  }

  const theirs = new Map(local.claims.map((c) => [c.id, c]));
  for (const ours of insurer.claims) {
    const seen = theirs.get(ours.id);
    if (!seen) {
      verdict.stateMismatches.push(
        `${ours.id}: insurer ${ours.status} v${ours.version}, unknown at the clinic`,
      );
      continue;
    }
    const differing = (Object.keys(ours) as (keyof ClaimState)[]).filter((column) =>
      column === "reason_codes"
        ? JSON.stringify(JSON.parse(seen.reason_codes)) !==
          JSON.stringify(JSON.parse(ours.reason_codes))
        : seen[column] !== ours[column],
    );
    if (differing.length > 0) {
      verdict.stateMismatches.push(
        `${ours.id}: ${differing.map((c) => `${c} insurer ${ours[c]}, clinic ${seen[c]}`).join("; ")}`,
      );
    }
  }
  for (const id of theirs.keys()) {
    if (!insurer.claims.some((c) => c.id === id)) {
      verdict.stateMismatches.push(`${id}: at the clinic, unknown to the insurer`);
    }
  }
  return verdict;
}

/**
 * Whether the system has finished its work for these clinics: no delivery is waiting to
 * be dispatched, in flight or waiting for a retry (deliveries are written with their
 * event, so an event with none has none to make), and every clinic's inbox is processed.
 */
export function settled(insurerDbPath: string, clinics: readonly ChaosClinic[]): boolean {
  const busy = readInsurerDb(insurerDbPath, (db) => {
    const open = (
      db
        .prepare("SELECT count(*) AS n FROM deliveries WHERE status IN ('sending', 'retrying')")
        .get() as { n: number }
    ).n;
    return open;
  });
  if (busy > 0) return false;
  return clinics.every(
    (clinic) =>
      readClinicDb(
        clinic.dbPath,
        (db) =>
          (
            db.prepare("SELECT count(*) AS n FROM inbox WHERE state = 'pending'").get() as {
              n: number;
            }
          ).n,
      ) === 0,
  );
}

/** The closing table: one column per clinic and a total. */
export function formatVerdicts(verdicts: readonly ClinicVerdict[]): string {
  const rows: [string, (v: ClinicVerdict) => number][] = [
    ["events committed", (v) => v.events],
    ["event × endpoint pairs", (v) => v.expected],
    ["delivered once", (v) => v.deliveredOnce],
    ["delivered more than once", (v) => v.deliveredMoreThanOnce],
    ["lost", (v) => v.lost],
    ["arrived, never confirmed", (v) => v.unconfirmed],
    ["webhook POSTs", (v) => v.posts],
    ["  answered 500 (injected)", (v) => v.injected500],
    ["  stalled past timeout", (v) => v.stalled],
    ["  clinic unreachable", (v) => v.unreachable],
    ["attempts recorded", (v) => v.attempts],
    ["inbox rows", (v) => v.inboxRows],
    ["duplicates suppressed", (v) => v.duplicatesSuppressed],
    ["patient notifications", (v) => v.notifications],
    ["double notifications", (v) => v.doubleNotifications],
    ["missing notifications", (v) => v.missingNotifications],
    ["claims", (v) => v.claims],
    ["final states differing", (v) => v.stateMismatches.length],
  ];
  const header = ["", ...verdicts.map((v) => v.clinic), "total"];
  const body = rows.map(([label, value]) => {
    const values = verdicts.map(value);
    return [label, ...values.map(String), String(values.reduce((a, b) => a + b, 0))];
  });
  const widths = header.map((_, i) => Math.max(...[header, ...body].map((row) => row[i]!.length)));
  const line = (row: string[]) =>
    row
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join("  ");
  return [line(header), ...body.map(line)].join("\n");
}
