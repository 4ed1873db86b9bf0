import type { JetStreamClient, PubAck } from "@nats-io/jetstream";
import type { KV } from "@nats-io/kv";
import { headers as natsHeaders } from "@nats-io/transport-node";
import type { AttemptReport, DeliveryTask, EndpointConfig } from "./messages.ts";
import { subjects } from "./topology.ts";

/**
 * Typed publishers. Each sets `Nats-Msg-Id` to the message's own id, so a publish
 * repeated after a crash is dropped by JetStream's dedup window. `headers` are put on the
 * message as they are: the W3C trace context (traceparent), when tracing is on.
 */
/**
 * Dedup key: the delivery id and the attempt number, so a task republished after a crash
 * is dropped, while the next attempt of the same delivery is not mistaken for it.
 */
export function publishDeliveryTask(
  js: JetStreamClient,
  task: DeliveryTask,
  headers?: Readonly<Record<string, string>>,
): Promise<PubAck> {
  return js.publish(subjects.delivery(task.endpointId), JSON.stringify(task), {
    msgID: `${task.deliveryId}.${task.attemptNumber}`,
    ...messageHeaders(headers),
  });
}

export function publishAttemptReport(
  js: JetStreamClient,
  report: AttemptReport,
  headers?: Readonly<Record<string, string>>,
): Promise<PubAck> {
  return js.publish(subjects.attempt(report.endpointId), JSON.stringify(report), {
    msgID: report.attemptId,
    ...messageHeaders(headers),
  });
}

/** No headers object at all when there is nothing to carry (the common case: tracing off). */
function messageHeaders(values: Readonly<Record<string, string>> | undefined): {
  headers?: ReturnType<typeof natsHeaders>;
} {
  if (!values) return {};
  const entries = Object.entries(values);
  if (entries.length === 0) return {};
  const headers = natsHeaders();
  for (const [name, value] of entries) headers.set(name, value);
  return { headers };
}

export async function putEndpointConfig(kv: KV, config: EndpointConfig): Promise<void> {
  await kv.put(config.id, JSON.stringify(config));
}

export async function deleteEndpointConfig(kv: KV, endpointId: string): Promise<void> {
  await kv.delete(endpointId);
}
