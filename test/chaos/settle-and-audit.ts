import { type ConsumerState, readConsumerStates } from "@claimwire/queue/testing";
import { waitFor } from "@claimwire/testing";
import type { ChaosSystem } from "../src/harness/chaos-system.ts";
import { type ClinicVerdict, checkClinic, settled } from "./delivery-checker.ts";
import { describeStall } from "./stall-diagnostics.ts";

/** What a chaos run learns once the load has stopped. */
export type Audit = {
  settledAt: number;
  /** Set when the system did not finish within the timeout (thrown after the report). */
  settleError: unknown;
  /** Why it did not finish, as far as the processes and JetStream tell. */
  stall: string | undefined;
  /** The delivery consumer's state: hand-outs against tasks are the redeliveries. */
  deliveryConsumer: ConsumerState | undefined;
  verdicts: ClinicVerdict[];
};

/** The delivery workers' consumer as the server reports it, or undefined if unreachable. */
export async function readDeliveryConsumer(sys: ChaosSystem): Promise<ConsumerState | undefined> {
  const states = await readConsumerStates(sys.natsServers).catch(() => []);
  return states.find((c) => c.consumer === "delivery-workers");
}

/**
 * Waits for the system to finish delivering (up to `settleTimeoutMs`), then audits every
 * clinic through the public APIs. A run that does not settle is still audited, so that
 * its report shows what was lost or stuck.
 */
export async function settleAndAudit(sys: ChaosSystem, settleTimeoutMs: number): Promise<Audit> {
  let settleError: unknown;
  await waitFor("the system to finish delivering", () => settled(sys.staff, sys.clinics), {
    timeoutMs: settleTimeoutMs,
    intervalMs: 1_000,
  }).catch((err) => {
    settleError = err;
  });
  const settledAt = Date.now();
  const stall = settleError ? await describeStall(sys) : undefined;
  const deliveryConsumer = await readDeliveryConsumer(sys);
  const verdicts = await Promise.all(sys.clinics.map((clinic) => checkClinic(sys.staff, clinic)));
  return { settledAt, settleError, stall, deliveryConsumer, verdicts };
}
