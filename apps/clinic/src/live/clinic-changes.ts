import { EventEmitter, on } from "node:events";

/**
 * Something the clinic's screens show has changed: a claim got a new status (from a
 * webhook, the feed or a submission), an inbox message was quarantined or is being
 * retried, or reconciliation ran. The web app refetches what the change concerns.
 */
export type ClinicChange =
  | { kind: "claim"; claimId: string; clinicReference: string; status: string; version: number }
  | { kind: "inbox"; webhookId: string; state: "retrying" | "quarantined" | "requeued" }
  | { kind: "reconciliation" };

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
