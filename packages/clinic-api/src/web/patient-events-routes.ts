import type { ClinicDatabase } from "@claimwire/clinic-db";
import { type Context, Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { claimIdForPatientToken } from "../claims/patient-status.ts";
import type { ClinicChanges } from "../live/clinic-changes.ts";

export const PATIENT_EVENTS_PATH = "/api/patient/events";

export type PatientEventsOptions = {
  db: ClinicDatabase;
  changes: Pick<ClinicChanges, "subscribe">;
  /** A comment this often keeps proxies from closing a quiet stream. */
  pingMs?: number;
};

/** The one answer for every token that opens no claim: unknown, malformed, or one off. */
const NOT_FOUND = { error: "Not found" } as const;

/**
 * `GET /api/patient/events/<token>`: the patient page's live feed (server-sent events). For
 * the claim behind the token, an event `status` with `{ "version": n }` each time the clinic
 * applies a change to it; the page then fetches `patient.status` again. Nothing else goes
 * out: no claim id, no other claim's changes.
 *
 * A token that opens no claim gets no stream: a 404 with the same body and headers whatever
 * the token was (well-formed or not, close to a real one or not), after the same single
 * lookup, so a wrong token learns nothing (docs/clinic-app.md, "The patient's link").
 */
export function createPatientEventsRoutes({ db, changes, pingMs = 15_000 }: PatientEventsOptions) {
  const notFound = (c: Context) => {
    c.header("cache-control", "no-store");
    c.header("referrer-policy", "no-referrer");
    return c.json(NOT_FOUND, 404);
  };
  return (
    new Hono()
      .get(`${PATIENT_EVENTS_PATH}/:token`, (c) => {
        const claimId = claimIdForPatientToken(db, c.req.param("token"));
        if (claimId === undefined) return notFound(c);
        c.header("referrer-policy", "no-referrer");
        return streamSSE(c, async (stream) => {
          const closed = new AbortController();
          stream.onAbort(() => closed.abort());
          const ping = setInterval(() => void stream.write(": ping\n\n"), pingMs);
          try {
            // Tells the page it is connected (and, after a reconnect, to fetch what it missed).
            await stream.writeSSE({ event: "ready", data: "{}" });
            for await (const change of changes.subscribe(closed.signal)) {
              if (change.kind !== "claim" || change.claimId !== claimId) continue;
              await stream.writeSSE({
                event: "status",
                data: JSON.stringify({ version: change.version }),
              });
            }
          } finally {
            clearInterval(ping);
          }
        });
      })
      // Whatever else is asked under this path (an empty token, one the router will not
      // match) gets the very same answer.
      .all(PATIENT_EVENTS_PATH, notFound)
      .all(`${PATIENT_EVENTS_PATH}/*`, notFound)
  );
}
