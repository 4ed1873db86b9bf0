import type { JetStreamClient, JsMsg } from "@nats-io/jetstream";
import type { z } from "zod";

export type ConsumeOptions<S extends z.ZodType> = {
  js: JetStreamClient;
  stream: string;
  consumer: string;
  schema: S;
  /** Handle one message; it must ack, nak or term it. A throw naks it after a pause. */
  handle: (data: z.infer<S>, msg: JsMsg) => Promise<void>;
  /** Messages handled at once by this process. */
  concurrency?: number;
  signal: AbortSignal;
  onError?: (err: unknown, context: string) => void;
};

const RETRY_AFTER_FAILURE_MS = 1_000;

/**
 * The consume loop of nats.js's examples: re-create `consume()` after any failure until
 * aborted, with an explicit bound on the messages in flight. A message that does not
 * parse can never succeed, so it is terminated (and reported) rather than redelivered.
 */
export async function consumeMessages<S extends z.ZodType>(opts: ConsumeOptions<S>): Promise<void> {
  const concurrency = opts.concurrency ?? 1;
  const onError = opts.onError ?? (() => {});
  const inFlight = new Set<Promise<void>>();

  while (!opts.signal.aborted) {
    try {
      const consumer = await opts.js.consumers.get(opts.stream, opts.consumer);
      const messages = await consumer.consume({ max_messages: Math.max(concurrency * 2, 10) });
      const stop = () => messages.stop();
      // An abort that came while consume() was being set up has no listener to hear it.
      if (opts.signal.aborted) stop();
      opts.signal.addEventListener("abort", stop, { once: true });
      try {
        for await (const msg of messages) {
          const task = handleOne(msg, opts, onError).finally(() => inFlight.delete(task));
          inFlight.add(task);
          if (inFlight.size >= concurrency) await Promise.race(inFlight);
        }
      } finally {
        opts.signal.removeEventListener("abort", stop);
      }
    } catch (err) {
      if (opts.signal.aborted) break;
      onError(err, `consume ${opts.stream}/${opts.consumer}`);
      await sleep(RETRY_AFTER_FAILURE_MS, opts.signal);
    }
  }
  await Promise.allSettled(inFlight);
}

async function handleOne<S extends z.ZodType>(
  msg: JsMsg,
  opts: ConsumeOptions<S>,
  onError: (err: unknown, context: string) => void,
): Promise<void> {
  let data: z.infer<S>;
  try {
    data = opts.schema.parse(msg.json());
  } catch (err) {
    onError(err, `unreadable message ${msg.subject} seq ${msg.seq}; terminated`);
    msg.term();
    return;
  }
  try {
    await opts.handle(data, msg);
  } catch (err) {
    onError(err, `handling ${msg.subject} seq ${msg.seq}; will retry`);
    msg.nak(RETRY_AFTER_FAILURE_MS);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export type ConsumerLoop = { start(): void; stop(): Promise<void> };

/**
 * A `consumeMessages` loop that can be started and stopped again (the insurer stops its
 * consumers on shutdown and tests restart them): each `start()` consumes until the
 * `stop()` after it.
 */
export function createConsumerLoop<S extends z.ZodType>(
  opts: Omit<ConsumeOptions<S>, "signal">,
): ConsumerLoop {
  let abort = new AbortController();
  let loop: Promise<void> | undefined;
  return {
    start() {
      if (loop) return;
      abort = new AbortController();
      loop = consumeMessages({ ...opts, signal: abort.signal });
    },
    async stop() {
      abort.abort();
      await loop;
      loop = undefined;
    },
  };
}
