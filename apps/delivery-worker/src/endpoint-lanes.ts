/**
 * Per-endpoint admission in one worker (issue 3 item 3): at most `maxConcurrency`
 * requests in flight per endpoint, and in front of them a short FIFO of tasks waiting in
 * this process, sized by time rather than by count.
 *
 * A task for a busy endpoint waits here when its estimated wait,
 * `(waiting + 1) × perRequestMs / maxConcurrency`, is within `maxLocalWaitMs`; otherwise
 * the caller puts it back on JetStream (nak) with a delay near that estimate. So a burst
 * to a fast endpoint is sent back to back, while a slow endpoint's excess leaves the
 * process. `perRequestMs` is an EWMA of the endpoint's recent request durations. It
 * starts at `initialDurationMs` as if that were a first sample, so the first request to
 * an endpoint, which pays for the connection set-up, moves it only by `smoothing`. It is
 * raised to the lower median age of the requests still in flight once that exceeds
 * `maxLocalWaitMs`: a newly hung endpoint completes nothing to learn from (younger ages
 * say little: a connection being set up, the worker's own event loop busy with a burst).
 *
 * The estimate can be wrong (an endpoint slows down after tasks were queued), so a task
 * that has waited `LOCAL_WAIT_LIMIT_FACTOR × maxLocalWaitMs` is handed back to the
 * caller to put back: no task ever waits here longer than that.
 *
 * The cap is per worker: with N workers an endpoint sees at most N × maxConcurrency
 * requests at once.
 *
 * An endpoint may also have a rate limit (requests started per second, in this worker):
 * a token bucket per lane holding at most a tenth of a second's worth of requests (at
 * least one), so a burst cannot crowd the endpoint's second. A task with a free slot but
 * no token waits in the same FIFO, woken when the next token is due; its estimated wait
 * counts the tokens it waits for, so a rate-limited endpoint's excess is put back like a
 * slow endpoint's. Waiting tasks hold no handler, so the rate never holds back another
 * endpoint.
 */

/** A waiting task is put back once it has waited this many times `maxLocalWaitMs`. */
export const LOCAL_WAIT_LIMIT_FACTOR = 2;
/** Delays of tasks put back, whatever the estimate: not so short that they spin, nor so long that they idle. */
export const MIN_DEFER_MS = 200;
export const MAX_DEFER_MS = 5_000;

/** The right to make one request to an endpoint. */
export type Slot = {
  /**
   * Frees the slot and hands it to the endpoint's next waiting task. Pass the request's
   * duration when a request was made, so the estimate learns from it. Idempotent.
   */
  release(durationMs?: number): void;
};

/** A task waiting for a slot of its endpoint. Neither callback may throw. */
export type Waiter = {
  /** Its turn: it owns `slot` and must release it. */
  start(slot: Slot): void;
  /** It waited too long: put it back, to be offered again after `delayMs`. */
  expire(delayMs: number): void;
};

export type Admission = { kind: "queued" } | { kind: "defer"; delayMs: number };

export type EndpointLanes<W extends Waiter> = {
  /**
   * Whether a new task of this endpoint cannot start now (every slot taken at the cap
   * last seen, or tasks already waiting), answered without the endpoint's config.
   */
  isBusy(endpointId: string): boolean;
  /**
   * A slot if the endpoint has one free, a token of its rate (if it has a rate limit) and
   * no task waiting before this one; records the cap and the rate.
   */
  tryAcquire(
    endpointId: string,
    maxConcurrency: number,
    ratePerSecond?: number | null,
  ): Slot | null;
  /**
   * Records the endpoint's current cap and rate (read again from its config), starting
   * waiters if they rose.
   */
  setCap(endpointId: string, maxConcurrency: number, ratePerSecond?: number | null): void;
  /** For a busy endpoint: the task waits here, or is to be deferred by `delayMs`. */
  enqueue(endpointId: string, waiter: W): Admission;
  /** Removes and returns every waiting task, each endpoint's oldest first (shutdown); later ones are deferred. */
  drain(): W[];
  /** Tasks waiting in this process, all endpoints together. */
  waiting(): number;
  inFlight(endpointId: string): number;
};

export type EndpointLanesOptions = {
  /** The bound on a task's estimated local wait; 0 defers every task of a busy endpoint. */
  maxLocalWaitMs: number;
  /** Assumed duration of a request to an endpoint with no history yet: small, so a first burst is queued. */
  initialDurationMs?: number;
  /** Weight of the newest duration in the EWMA. */
  smoothing?: number;
  /** Idle endpoints whose history is kept (least recently used forgotten first). */
  maxRememberedEndpoints?: number;
  /** Monotonic milliseconds. */
  now?: () => number;
  random?: () => number;
};

type Entry<W> = { waiter: W; enqueuedAt: number };

type Lane<W> = {
  cap: number;
  /** Start times of the requests in flight. */
  running: Set<{ startedAt: number }>;
  queue: Entry<W>[];
  ewmaMs: number;
  timer: ReturnType<typeof setTimeout> | undefined;
  /** Requests per second that may start; null: no limit. */
  rate: number | null;
  /** The token bucket of `rate`, as of `refilledAt`. */
  tokens: number;
  refilledAt: number;
  /** Wakes the FIFO when the next token is due. */
  rateTimer: ReturnType<typeof setTimeout> | undefined;
};

/** The bucket's size: a tenth of a second's worth of requests, at least one. */
export function rateBurst(ratePerSecond: number): number {
  return Math.max(1, ratePerSecond / 10);
}

/**
 * @example
 * const lanes = createEndpointLanes<Waiter>({ maxLocalWaitMs: 1_000 });
 * const slot = lanes.tryAcquire(endpointId, config.maxConcurrency);
 * if (slot) send().finally(() => slot.release(durationMs));
 * else if (lanes.enqueue(endpointId, { start, expire }).kind === "defer") msg.nak(delayMs);
 */
export function createEndpointLanes<W extends Waiter>({
  maxLocalWaitMs,
  initialDurationMs = 10,
  smoothing = 0.2,
  maxRememberedEndpoints = 10_000,
  now = () => performance.now(),
  random = Math.random,
}: EndpointLanesOptions): EndpointLanes<W> {
  const lanes = new Map<string, Lane<W>>();
  const limitMs = LOCAL_WAIT_LIMIT_FACTOR * maxLocalWaitMs;
  let waitingTotal = 0;
  let closed = false;

  function laneFor(endpointId: string, cap: number): Lane<W> {
    let lane = lanes.get(endpointId);
    if (!lane) {
      lane = {
        cap,
        running: new Set(),
        queue: [],
        ewmaMs: initialDurationMs,
        timer: undefined,
        rate: null,
        tokens: 0,
        refilledAt: now(),
        rateTimer: undefined,
      };
      lanes.set(endpointId, lane);
    }
    return lane;
  }

  /**
   * Records the lane's rate. A newly set limit starts from a full bucket; a changed one
   * keeps its tokens, capped at the new bucket's size.
   */
  function setRate(lane: Lane<W>, rate: number | null): void {
    if (lane.rate === rate) return;
    if (rate !== null && lane.rate === null) {
      lane.tokens = rateBurst(rate);
      lane.refilledAt = now();
    }
    lane.rate = rate;
    if (rate !== null) lane.tokens = Math.min(lane.tokens, rateBurst(rate));
  }

  function refill(lane: Lane<W>): void {
    if (lane.rate === null) return;
    const at = now();
    const earned = ((at - lane.refilledAt) * lane.rate) / 1000;
    lane.tokens = Math.min(rateBurst(lane.rate), lane.tokens + earned);
    lane.refilledAt = at;
  }

  function hasToken(lane: Lane<W>): boolean {
    if (lane.rate === null) return true;
    refill(lane);
    return lane.tokens >= 1;
  }

  /** Whether a new task must wait: every slot taken, tasks already waiting, or no token. */
  function mustWait(lane: Lane<W>): boolean {
    return lane.running.size >= lane.cap || lane.queue.length > 0 || !hasToken(lane);
  }

  /** How long until `count` more requests may start at the lane's rate. */
  function rateWaitMs(lane: Lane<W>, count: number): number {
    if (lane.rate === null) return 0;
    refill(lane);
    return (Math.max(0, count - lane.tokens) * 1000) / lane.rate;
  }

  /** Wakes the FIFO when a token is due, if a waiting task has a slot but no token. */
  function armRate(endpointId: string, lane: Lane<W>): void {
    if (lane.rateTimer || lane.rate === null || lane.queue.length === 0) return;
    if (lane.running.size >= lane.cap) return; // a release pumps
    lane.rateTimer = setTimeout(
      () => {
        lane.rateTimer = undefined;
        pump(endpointId, lane);
      },
      Math.max(1, Math.ceil(rateWaitMs(lane, 1))),
    );
    lane.rateTimer.unref?.();
  }

  function perRequestMs(lane: Lane<W>): number {
    const ages = [...lane.running].map((r) => now() - r.startedAt).sort((a, b) => a - b);
    const medianAge = ages[Math.floor((ages.length - 1) / 2)] ?? 0;
    return Math.max(lane.ewmaMs, medianAge > maxLocalWaitMs ? medianAge : 0);
  }

  /** The wait of a task joining the FIFO now: for a slot, and for a token of the rate. */
  function estimateWaitMs(lane: Lane<W>): number {
    const forSlot = ((lane.queue.length + 1) * perRequestMs(lane)) / lane.cap;
    return Math.max(forSlot, rateWaitMs(lane, lane.queue.length + 1));
  }

  /** Starts a request: takes a slot and, under a rate limit, a token. */
  function acquire(endpointId: string, lane: Lane<W>): Slot {
    if (lane.rate !== null) lane.tokens -= 1;
    const run = { startedAt: now() };
    lane.running.add(run);
    let released = false;
    return {
      release(durationMs) {
        if (released) return;
        released = true;
        lane.running.delete(run);
        if (durationMs !== undefined) {
          lane.ewmaMs += smoothing * (durationMs - lane.ewmaMs);
        }
        pump(endpointId, lane);
      },
    };
  }

  /** Hands free slots to waiting tasks, oldest first. */
  function pump(endpointId: string, lane: Lane<W>): void {
    while (lane.running.size < lane.cap && lane.queue.length > 0 && hasToken(lane)) {
      const entry = lane.queue.shift()!;
      waitingTotal -= 1;
      entry.waiter.start(acquire(endpointId, lane));
    }
    armRate(endpointId, lane);
    settle(endpointId, lane);
  }

  /** After a change: no timer without a waiting task; an idle endpoint is remembered. */
  function settle(endpointId: string, lane: Lane<W>): void {
    if (lane.queue.length > 0) return;
    clearTimeout(lane.timer);
    lane.timer = undefined;
    clearTimeout(lane.rateTimer);
    lane.rateTimer = undefined;
    if (lane.running.size === 0) rememberIdle(endpointId, lane);
  }

  /** Keeps an idle endpoint's history, most recently used last, within the bound. */
  function rememberIdle(endpointId: string, lane: Lane<W>): void {
    if (lanes.get(endpointId) !== lane) return;
    lanes.delete(endpointId);
    lanes.set(endpointId, lane);
    if (lanes.size <= maxRememberedEndpoints) return;
    for (const [id, candidate] of lanes) {
      if (lanes.size <= maxRememberedEndpoints) break;
      if (candidate.running.size === 0 && candidate.queue.length === 0) lanes.delete(id);
    }
  }

  /** Times the oldest waiting task out; the next one's deadline is checked when it fires. */
  function arm(endpointId: string, lane: Lane<W>): void {
    const head = lane.queue[0];
    if (lane.timer || !head) return;
    const dueIn = Math.max(0, head.enqueuedAt + limitMs - now());
    lane.timer = setTimeout(() => {
      lane.timer = undefined;
      expireOverdue(endpointId, lane);
    }, dueIn);
    lane.timer.unref?.();
  }

  function expireOverdue(endpointId: string, lane: Lane<W>): void {
    for (let head = lane.queue[0]; head; head = lane.queue[0]) {
      if (now() - head.enqueuedAt < limitMs) break;
      lane.queue.shift();
      waitingTotal -= 1;
      head.waiter.expire(deferDelayMs(estimateWaitMs(lane), random));
    }
    arm(endpointId, lane);
    settle(endpointId, lane);
  }

  return {
    isBusy(endpointId) {
      const lane = lanes.get(endpointId);
      return lane !== undefined && mustWait(lane);
    },
    tryAcquire(endpointId, maxConcurrency, ratePerSecond = null) {
      const lane = laneFor(endpointId, maxConcurrency);
      lane.cap = maxConcurrency;
      setRate(lane, ratePerSecond);
      pump(endpointId, lane);
      return mustWait(lane) ? null : acquire(endpointId, lane);
    },
    setCap(endpointId, maxConcurrency, ratePerSecond = null) {
      const lane = lanes.get(endpointId);
      if (!lane) return;
      lane.cap = maxConcurrency;
      setRate(lane, ratePerSecond);
      pump(endpointId, lane);
    },
    enqueue(endpointId, waiter) {
      const lane = lanes.get(endpointId);
      if (!lane || closed) return { kind: "defer", delayMs: MIN_DEFER_MS };
      const estimateMs = estimateWaitMs(lane);
      if (estimateMs > maxLocalWaitMs) {
        return { kind: "defer", delayMs: deferDelayMs(estimateMs, random) };
      }
      lane.queue.push({ waiter, enqueuedAt: now() });
      waitingTotal += 1;
      arm(endpointId, lane);
      armRate(endpointId, lane);
      return { kind: "queued" };
    },
    drain() {
      closed = true;
      const drained: W[] = [];
      for (const lane of lanes.values()) {
        clearTimeout(lane.timer);
        lane.timer = undefined;
        clearTimeout(lane.rateTimer);
        lane.rateTimer = undefined;
        for (const entry of lane.queue.splice(0)) drained.push(entry.waiter);
      }
      waitingTotal = 0;
      return drained;
    },
    waiting: () => waitingTotal,
    inFlight: (endpointId) => lanes.get(endpointId)?.running.size ?? 0,
  };
}

/**
 * How long a task put back waits before it is offered again: its estimated wait ±25%,
 * so the put-back tasks of one endpoint don't all return in the same instant, within
 * MIN_DEFER_MS–MAX_DEFER_MS.
 */
export function deferDelayMs(estimatedWaitMs: number, random: () => number = Math.random): number {
  const jittered = estimatedWaitMs * (0.75 + 0.5 * random());
  return Math.round(Math.min(MAX_DEFER_MS, Math.max(MIN_DEFER_MS, jittered)));
}
