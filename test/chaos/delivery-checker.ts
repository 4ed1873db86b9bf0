import { isClaimEvent } from "@claimwire/contracts";
import { endpointReceives } from "@claimwire/insurer-domain";
import type { InsurerClient } from "@claimwire/sdk";
import type { ChaosClinic } from "../src/harness/chaos-system.ts";
import { clinicClaim } from "../src/harness/clinic-api-client.ts";
import {
  clinicClaimsAtInsurer,
  endpointDeliveries,
  feedEvents,
} from "../src/harness/insurer-api-reads.ts";

/**
 * The auditor of a chaos run. For every event the insurer committed and every endpoint
 * subscribed to it, it asks the insurer's API (the event feed, the clinic's endpoints,
 * their deliveries and stats, the clinic's claims) and the clinic's own API (each claim
 * with its inbox messages and patient notifications) and classifies the pair:
 *
 * - delivered: the insurer recorded a 2xx and the event is in the clinic's inbox;
 * - delivered more than once: the same, and the clinic accepted it more than once (its
 *   inbox suppressed the copies: one message per webhook-id, with a count of copies);
 * - lost: no delivery, or the message is not in the clinic's inbox;
 * - unconfirmed: in the clinic's inbox, but the insurer never recorded a 2xx (the
 *   delivery is still open or was dead-lettered although it arrived).
 *
 * The effect is the patient notification: one per claim version, never two, none
 * missing. Each clinic's final claim states must equal the insurer's.
 */
export type ClinicVerdict = {
  clinic: string;
  /** Claim events (status changes) committed for the clinic. */
  events: number;
  /**
   * Operational events raised about its endpoint (delivery.failing, endpoint.recovered, …):
   * news for its other endpoints, never sent to the one they are about.
   */
  operationalEvents: number;
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
  /** Messages in the clinic's inbox. */
  inboxRows: number;
  /** Inbox messages not brought by a webhook (reconciliation from the feed): 0 in a chaos run. */
  inboxFromFeed: number;
  inboxFailed: number;
  /** Accepted copies of a message the inbox already had. */
  duplicatesSuppressed: number;
  notifications: number;
  doubleNotifications: number;
  missingNotifications: number;
  claims: number;
  stateMismatches: string[];
};

/** The parts of a claim's state both sides must agree on. */
type ClaimState = {
  status: string;
  version: number;
  approvedAmount: number | null;
  paymentReference: string | null;
  reasonCodes: string[];
};

export async function checkClinic(
  staff: InsurerClient,
  clinic: ChaosClinic,
): Promise<ClinicVerdict> {
  const events = await feedEvents(staff, { clinicId: clinic.clinicId });
  const endpoints = await staff.endpoints.list.query({ clinicId: clinic.clinicId });
  const deliveries = (
    await Promise.all(endpoints.map((endpoint) => endpointDeliveries(staff, endpoint.id)))
  ).flat();
  const stats = await Promise.all(
    endpoints.map((endpoint) => staff.endpoints.stats.query({ endpointId: endpoint.id })),
  );
  const insurerClaims = await clinicClaimsAtInsurer(clinic.client);

  // The clinic's view of each of those claims (undefined: unknown at the clinic), and the
  // claims it lists (its 200 most recent), to find any the insurer does not have.
  const seenClaims = new Map(
    await Promise.all(
      insurerClaims.map(
        async (claim) => [claim.id, await clinicClaim(clinic.api, claim.id)] as const,
      ),
    ),
  );
  const listed = await clinic.api.claims.list.query();
  const messages = [...seenClaims.values()].flatMap((claim) => claim?.messages ?? []);
  const notifications = [...seenClaims.values()].flatMap(
    (claim) => claim?.notifications.map((n) => ({ claimId: claim.id, version: n.version })) ?? [],
  );

  const deliveryOf = new Map(deliveries.map((d) => [`${d.eventId}|${d.endpointId}`, d]));
  const messageOf = new Map(messages.map((m) => [m.webhookId, m]));
  const verdict: ClinicVerdict = {
    clinic: clinic.name,
    events: events.filter((event) => isClaimEvent(event.data)).length,
    operationalEvents: events.filter((event) => !isClaimEvent(event.data)).length,
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
    attempts: stats.reduce((sum, s) => sum + s.attempts, 0),
    inboxRows: messages.length,
    inboxFromFeed: messages.filter((m) => m.source !== "webhook").length,
    inboxFailed: messages.filter((m) => m.state === "failed").length,
    duplicatesSuppressed: messages.reduce((sum, m) => sum + Math.max(0, m.deliveries - 1), 0),
    notifications: 0,
    doubleNotifications: 0,
    missingNotifications: 0,
    claims: insurerClaims.length,
    stateMismatches: [],
  };

  for (const event of events) {
    for (const endpoint of endpoints) {
      // Fan-out's own rule: an operational event (delivery.failing, …) about this endpoint
      // is never delivered to it, however it subscribes.
      if (!endpointReceives(endpoint, event.data) || endpoint.createdAt > event.occurredAt) {
        continue;
      }
      verdict.expected += 1;
      const delivery = deliveryOf.get(`${event.id}|${endpoint.id}`);
      const atClinic = messageOf.get(event.id);
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
      } else if ((atClinic?.deliveries ?? 1) > 1) {
        verdict.deliveredMoreThanOnce += 1;
      } else {
        verdict.deliveredOnce += 1;
      }
    }
  }

  // The effect: one notification per claim version the insurer committed.
  const notified = new Map<string, number>();
  for (const n of notifications) {
    const key = `${n.claimId}|${n.version}`;
    notified.set(key, (notified.get(key) ?? 0) + 1);
  }
  for (const times of notified.values()) {
    verdict.notifications += times;
    if (times > 1) verdict.doubleNotifications += times - 1;
  }
  for (const event of events) {
    const data = event.data.data;
    if (
      "claimId" in data &&
      "version" in data &&
      !notified.has(`${data.claimId}|${data.version}`)
    ) {
      verdict.missingNotifications += 1;
    }
  }

  for (const claim of insurerClaims) {
    const ours: ClaimState = {
      status: claim.status,
      version: claim.version,
      approvedAmount: claim.approvedAmount?.amount ?? null,
      paymentReference: claim.paymentReference,
      reasonCodes: claim.reasonCodes,
    };
    const seen = seenClaims.get(claim.id);
    if (!seen) {
      verdict.stateMismatches.push(
        `${claim.id}: insurer ${ours.status} v${ours.version}, unknown at the clinic`,
      );
      continue;
    }
    const theirs: ClaimState = {
      status: seen.status,
      version: seen.version,
      approvedAmount: seen.approvedAmount,
      paymentReference: seen.paymentReference,
      reasonCodes: seen.reasonCodes,
    };
    const differing = (Object.keys(ours) as (keyof ClaimState)[]).filter(
      (field) => JSON.stringify(theirs[field]) !== JSON.stringify(ours[field]),
    );
    if (differing.length > 0) {
      verdict.stateMismatches.push(
        `${claim.id}: ${differing.map((f) => `${f} insurer ${JSON.stringify(ours[f])}, clinic ${JSON.stringify(theirs[f])}`).join("; ")}`,
      );
    }
  }
  for (const claim of listed) {
    if (!seenClaims.has(claim.id)) {
      verdict.stateMismatches.push(`${claim.id}: at the clinic, unknown to the insurer`);
    }
  }
  return verdict;
}

/** Whether an endpoint subscribed to `types` (exact types and wildcards) gets `type`. */
/**
 * Whether the system has finished its work for these clinics: no delivery to their
 * endpoints is waiting to be dispatched, in flight or waiting for a retry (deliveries are
 * written with their event, so an event with none has none to make), and no message in
 * any clinic's inbox is still waiting to be processed.
 */
export async function settled(
  staff: InsurerClient,
  clinics: readonly ChaosClinic[],
): Promise<boolean> {
  for (const clinic of clinics) {
    const endpoints = await staff.endpoints.list.query({ clinicId: clinic.clinicId });
    for (const endpoint of endpoints) {
      const stats = await staff.endpoints.stats.query({ endpointId: endpoint.id });
      if (stats.deliveries.pending > 0) return false;
    }
  }
  // Every claim the insurer has, as the clinic shows it: the clinic's own list stops at
  // its 200 most recent claims. A claim the clinic does not show yet is still on its way.
  for (const clinic of clinics) {
    for (const { id } of await clinicClaimsAtInsurer(clinic.client)) {
      const claim = await clinicClaim(clinic.api, id);
      if (!claim || claim.messages.some((m) => m.state === "pending")) return false;
    }
  }
  return true;
}

/** The closing table: one column per clinic and a total. */
export function formatVerdicts(verdicts: readonly ClinicVerdict[]): string {
  const rows: [string, (v: ClinicVerdict) => number][] = [
    ["status changes committed", (v) => v.events],
    ["operational events raised", (v) => v.operationalEvents],
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
