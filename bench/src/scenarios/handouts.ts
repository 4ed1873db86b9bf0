import { CONSUMERS, type Queue, STREAMS } from "@claimwire/queue";

/** How often the delivery consumer handed tasks out during a phase (consumer info). */
export type Handouts = {
  /** Deliveries by the consumer (redeliveries included) over the tasks the stream received. */
  perTask: number;
  /** Deliveries by the consumer in the phase (delivered.consumer_seq moved by this much). */
  deliveries: number;
  /** Tasks the stream received in the phase (delivered.stream_seq moved by this much). */
  tasks: number;
  /** Highest num_redelivered / num_ack_pending / num_waiting seen while sampling. */
  maxRedelivered: number;
  maxAckPending: number;
  maxWaiting: number;
  ackWaitMs: number;
  maxAckPendingLimit: number;
};

/**
 * Samples the delivery consumer's info until stopped. A task handed out more than once
 * before it is acked was redelivered: past ack_wait, nak'ed, or given out again after the
 * consumer was re-created.
 */
export function watchHandouts(queue: Queue, everyMs = 1_000) {
  const info = () => queue.jsm.consumers.info(STREAMS.deliveries, CONSUMERS.deliveryWorkers);
  const max = { redelivered: 0, ackPending: 0, waiting: 0 };
  const first = info();
  const sample = async () => {
    const i = await info().catch(() => null);
    if (!i) return;
    max.redelivered = Math.max(max.redelivered, i.num_redelivered);
    max.ackPending = Math.max(max.ackPending, i.num_ack_pending);
    max.waiting = Math.max(max.waiting, i.num_waiting);
  };
  const timer = setInterval(() => void sample(), everyMs);
  return {
    async stop(): Promise<Handouts> {
      clearInterval(timer);
      await sample();
      const [a, b] = [await first, await info()];
      const deliveries = b.delivered.consumer_seq - a.delivered.consumer_seq;
      const tasks = b.delivered.stream_seq - a.delivered.stream_seq;
      return {
        perTask: tasks > 0 ? Math.round((deliveries / tasks) * 100) / 100 : 0,
        deliveries,
        tasks,
        maxRedelivered: max.redelivered,
        maxAckPending: max.ackPending,
        maxWaiting: max.waiting,
        ackWaitMs: (b.config.ack_wait ?? 0) / 1_000_000,
        maxAckPendingLimit: b.config.max_ack_pending ?? -1,
      };
    },
  };
}
