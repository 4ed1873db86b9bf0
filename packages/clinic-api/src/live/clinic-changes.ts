import { EventEmitter, on } from "node:events";
import { z } from "zod";

/**
 * Something the clinic's screens show has changed: a claim got a new status (from a
 * webhook, the feed or a submission), an inbox message was quarantined, is being
 * retried or was ignored (a type this clinic does not know), or reconciliation ran. The web app refetches what the change concerns.
 */
export const ClinicChangeSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("claim"),
    claimId: z.string(),
    clinicReference: z.string(),
    status: z.string(),
    version: z.number().int(),
  }),
  z.object({
    kind: z.literal("inbox"),
    webhookId: z.string(),
    state: z.enum(["retrying", "quarantined", "requeued", "ignored"]),
  }),
  z.object({ kind: z.literal("reconciliation") }),
]);
export type ClinicChange = z.infer<typeof ClinicChangeSchema>;

export type ClinicChanges = {
  publish(change: ClinicChange): void;
  /** Every change from now until `signal` aborts. */
  subscribe(signal: AbortSignal): AsyncIterable<ClinicChange>;
};

/** An in-process hub: the processor publishes, each open browser tab subscribes (over SSE). */
export function createClinicChanges(): ClinicChanges {
  const emitter = new EventEmitter();
  // One listener per open tab: more than Node's default warning threshold of 10 is normal.
  emitter.setMaxListeners(0);
  return {
    publish(change) {
      emitter.emit("change", change);
    },
    async *subscribe(signal) {
      try {
        for await (const [change] of on(emitter, "change", { signal })) {
          yield change as ClinicChange;
        }
      } catch (error) {
        if (!signal.aborted) throw error;
      }
    },
  };
}
