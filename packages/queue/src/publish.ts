import type { JetStreamClient, PubAck } from "@nats-io/jetstream";
import type { KV } from "@nats-io/kv";
import type { AttemptReport, DeliveryTask, EndpointConfig } from "./messages.ts";
import { subjects } from "./topology.ts";

/**
 * Typed publishers. Each sets `Nats-Msg-Id` to the message's own id, so a publish
 * repeated after a crash is dropped by JetStream's dedup window.
 */
/**
 * Dedup key: the delivery id and the attempt number, so a task republished after a crash
 * is dropped, while the next attempt of the same delivery is not mistaken for it.
 */
export function publishDeliveryTask(js: JetStreamClient, task: DeliveryTask): Promise<PubAck> {
  return js.publish(subjects.delivery(task.endpointId), JSON.stringify(task), {
    msgID: `${task.deliveryId}.${task.attemptNumber}`,
  });
}

export function publishAttemptReport(js: JetStreamClient, report: AttemptReport): Promise<PubAck> {
  return js.publish(subjects.attempt(report.endpointId), JSON.stringify(report), {
    msgID: report.attemptId,
  });
}

export async function putEndpointConfig(kv: KV, config: EndpointConfig): Promise<void> {
  await kv.put(config.id, JSON.stringify(config));
}

export async function deleteEndpointConfig(kv: KV, endpointId: string): Promise<void> {
  await kv.delete(endpointId);
}
