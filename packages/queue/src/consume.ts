import type {
  ConsumerConfig,
  ConsumerInfo,
  JetStreamClient,
  JetStreamManager,
  JsMsg,
} from "@nats-io/jetstream";
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
  /** Watch the consumer for a server-side stall and recover from it (see StallGuard). */
  stallGuard?: StallGuard;
  /**
   * Told true once the consumer is found and pulled from, false when that ends (a failure
   * being retried, or the abort): what a readiness probe reports as "consumer".
   */
  onBound?: (bound: boolean) => void;
};

/**
 * A consumer is stalled when the server owes a consuming process messages — undelivered
 * ones (`num_pending`) with room under `max_ack_pending`, or, while pull requests wait
 * (`num_waiting`), ones past their ack_wait — yet nothing moves: no delivery, no ack
 * (stallBoundMs). Undelivered work with no pull waiting at all is the pull requests lost
 * in a leader change on a cluster.
 * nats-server 2.9.10 gets there after a kill -9 that rolled the consumer's state back
 * behind acks a work-queue stream had already applied (docs/delivery.md, "A stalled
 * delivery consumer"). A healthy server never stays there longer than a round trip.
 */
export type StallGuard = {
  /** How long a stall may last before this process acts (DELIVERY_STALL_AFTER_MS for the workers). */
  afterMs: number;
  /** How often to read the consumer's state; default afterMs / 4. */
  checkEveryMs?: number;
  /**
   * When pulling afresh has not ended the stall within another `afterMs`: delete the
   * consumer and create it again with the same config. Only for work-queue streams,
   * where a new consumer starts at what is still on the stream; every message not yet
   * acked is handed out again (consumers must tolerate duplicates, as after ack_wait).
   */
  recreate?: boolean;
};

const RETRY_AFTER_FAILURE_MS = 1_000;

/**
 * How long each pull request lives (nats.js's default is 30 s). A pull waits at the
 * consumer's leader; when that node dies, freezes or is cut off, the new leader never
 * hears of it, and nats-server 2.9.10 tells the client nothing. nats.js pulls again only
 * once two idle heartbeats (half the expiry each) are missed: 30 s with no delivery on a
 * cluster after every leader loss. With 5 s, a client pulls from the new leader within
 * about 5 s; an idle consumer pays one pull request per 5 s.
 */
export const PULL_EXPIRES_MS = 5_000;

/**
 * The consume loop of nats.js's examples: re-create `consume()` after any failure until
 * aborted, with an explicit bound on the messages in flight. A message that does not
 * parse can never succeed, so it is terminated (and reported) rather than redelivered.
 * With a `stallGuard`, a stalled consumer is pulled from afresh and then, if that does
 * not help, re-created.
 */
export async function consumeMessages<S extends z.ZodType>(opts: ConsumeOptions<S>): Promise<void> {
  const concurrency = opts.concurrency ?? 1;
  const onError = opts.onError ?? (() => {});
  const inFlight = new Set<Promise<void>>();
  /** Ends the current consume() so that the loop pulls afresh. */
  let renewPull: (() => void) | undefined;
  const guard = opts.stallGuard
    ? watchForStall({ ...opts, guard: opts.stallGuard, renewPull: () => renewPull?.(), onError })
    : undefined;

  try {
    while (!opts.signal.aborted) {
      try {
        const consumer = await opts.js.consumers.get(opts.stream, opts.consumer);
        const messages = await consumer.consume({
          max_messages: Math.max(concurrency * 2, 10),
          expires: PULL_EXPIRES_MS,
        });
        const stop = () => messages.stop();
        renewPull = stop;
        opts.onBound?.(true);
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
          renewPull = undefined;
          opts.onBound?.(false);
          opts.signal.removeEventListener("abort", stop);
        }
      } catch (err) {
        if (opts.signal.aborted) break;
        onError(err, `consume ${opts.stream}/${opts.consumer}`);
        await sleep(RETRY_AFTER_FAILURE_MS, opts.signal);
      }
    }
  } finally {
    guard?.stop();
  }
  await Promise.allSettled(inFlight);
}

/**
 * How long the consumer may go without progress (no delivery, no ack) before it counts as
 * stalled, or null when it owes nothing. With undelivered messages and room under
 * max_ack_pending: `afterMs`, pulls waiting or not (the guard's own process consumes). With
 * only messages awaiting ack and pulls waiting: `afterMs` past their ack_wait, by which
 * each must have been acked or handed out again (our naks' delays are shorter).
 */
export function stallBoundMs(info: ConsumerInfo, afterMs: number): number | null {
  const maxAckPending = info.config.max_ack_pending ?? -1;
  const room = maxAckPending <= 0 || info.num_ack_pending < maxAckPending;
  // Undelivered work and nothing moving is a stall whether or not pulls are waiting: the
  // guard runs in a process that consumes, so no waiting pull means the leader lost ours
  // (a leader change on a cluster; nats-server 2.9.10 tells the client nothing).
  if (info.num_pending > 0 && room) return afterMs;
  if (info.num_waiting === 0) return null; // nobody is pulling, and nothing new is owed
  if (info.num_ack_pending > 0) return afterMs + (info.config.ack_wait ?? 0) / 1_000_000;
  return null;
}

/**
 * Reads the consumer's state every `checkEveryMs`. A stall (see stallBoundMs; same
 * consumer, same delivered sequence, ack floor and ack-pending count all along) makes this
 * process pull afresh (new pull requests wake the server's delivery loop); one that lasts
 * `afterMs` more re-creates the consumer, if allowed. Any progress, or another process's
 * re-creation, starts the count again.
 */
export function watchForStall(
  opts: Pick<ConsumeOptions<z.ZodType>, "js" | "stream" | "consumer" | "signal"> & {
    guard: StallGuard;
    /** Makes this process's consume() pull afresh. */
    renewPull: () => void;
    onError: (err: unknown, context: string) => void;
  },
): { stop(): void } {
  const { guard, renewPull, onError } = opts;
  const name = `${opts.stream}/${opts.consumer}`;
  let stalledSince: number | undefined;
  let mark = "";
  let renewed = false;
  let checking = false;
  let manager: JetStreamManager | undefined;
  let lastConfig: ConsumerConfig | undefined;

  async function check(): Promise<void> {
    manager ??= await opts.js.jetstreamManager(false);
    const jsm = manager;
    const info = await jsm.consumers.info(opts.stream, opts.consumer).catch(async (err) => {
      // Gone, e.g. a re-creation cut off between delete and add: put it back as it was.
      if (!lastConfig || !/not found/i.test((err as Error).message)) throw err;
      onError(err, `consumer ${name} missing; re-creating it`);
      await jsm.consumers.add(opts.stream, lastConfig);
      renewPull();
      return undefined;
    });
    if (!info) return;
    lastConfig = info.config;
    const bound = stallBoundMs(info, guard.afterMs);
    const progress = [
      info.created,
      info.delivered.consumer_seq,
      info.ack_floor.stream_seq,
      info.num_ack_pending,
    ].join(" ");
    if (bound === null || progress !== mark) {
      mark = progress;
      stalledSince = bound === null ? undefined : Date.now();
      renewed = false;
      return;
    }
    stalledSince ??= Date.now();
    const stalledMs = Date.now() - stalledSince;
    const state =
      `${info.num_pending} messages not handed out, ${info.num_ack_pending} awaiting ack, ` +
      `${info.num_waiting} pulls waiting, no progress for ${Math.round(stalledMs / 1000)} s`;
    if (!renewed && stalledMs >= bound) {
      renewed = true;
      onError(new Error(`consumer ${name} stalled: ${state}`), "pulling afresh");
      renewPull();
    } else if (renewed && guard.recreate && stalledMs >= bound + guard.afterMs) {
      onError(new Error(`consumer ${name} still stalled: ${state}`), "re-creating the consumer");
      await jsm.consumers.delete(opts.stream, opts.consumer);
      await jsm.consumers.add(opts.stream, info.config).catch(async (err: unknown) => {
        // Another process re-created it first: that one serves as well.
        await jsm.consumers.info(opts.stream, opts.consumer).catch(() => Promise.reject(err));
      });
      renewPull();
    }
  }

  const timer = setInterval(
    () => {
      if (checking || opts.signal.aborted) return;
      checking = true;
      // A check that fails (NATS down) says nothing; the consume loop reports the outage.
      check()
        .catch(() => {})
        .finally(() => {
          checking = false;
        });
    },
    guard.checkEveryMs ?? Math.max(1, Math.floor(guard.afterMs / 4)),
  );
  timer.unref?.();
  return { stop: () => clearInterval(timer) };
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

/** Resolves after `ms`, or at once on abort; leaves no listener behind (it runs once per failure). */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
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
