import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  createEndpointLanes,
  deferDelayMs,
  MAX_DEFER_MS,
  MIN_DEFER_MS,
  type Slot,
  type Waiter,
} from "./endpoint-lanes.ts";

type TestWaiter = Waiter & { name: string; slot?: Slot; expiredAfterMs?: number };

function waiter(name: string): TestWaiter {
  const w: TestWaiter = {
    name,
    start: (slot) => {
      w.slot = slot;
    },
    expire: (delayMs) => {
      w.expiredAfterMs = delayMs;
    },
  };
  return w;
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function lanesFor(maxLocalWaitMs: number, { smoothing = 0.2, maxRememberedEndpoints = 100 } = {}) {
  return createEndpointLanes<TestWaiter>({
    maxLocalWaitMs,
    initialDurationMs: 10,
    smoothing,
    maxRememberedEndpoints,
    now: () => Date.now(),
    random: () => 0.5,
  });
}

describe("createEndpointLanes", () => {
  it("hands out at most maxConcurrency slots per endpoint, each endpoint on its own", () => {
    const lanes = lanesFor(1_000);
    const first = lanes.tryAcquire("ep_slow", 2);
    const second = lanes.tryAcquire("ep_slow", 2);
    expect(first && second).toBeTruthy();
    expect(lanes.tryAcquire("ep_slow", 2)).toBeNull();
    expect(lanes.isBusy("ep_slow")).toBe(true);
    expect(lanes.tryAcquire("ep_fast", 2)).not.toBeNull();
    expect(lanes.isBusy("ep_new")).toBe(false);

    first?.release();
    first?.release(); // releasing twice frees one slot, not two
    expect(lanes.inFlight("ep_slow")).toBe(1);
    expect(lanes.isBusy("ep_slow")).toBe(false);
    expect(lanes.tryAcquire("ep_slow", 2)).not.toBeNull();
    expect(lanes.tryAcquire("ep_slow", 2)).toBeNull();
  });

  it("queues a busy endpoint's tasks and starts them in arrival order as slots free", () => {
    const lanes = lanesFor(1_000);
    const running = lanes.tryAcquire("ep_1", 1)!;
    const [a, b] = [waiter("a"), waiter("b")];
    expect(lanes.enqueue("ep_1", a)).toEqual({ kind: "queued" });
    expect(lanes.enqueue("ep_1", b)).toEqual({ kind: "queued" });
    expect(lanes.waiting()).toBe(2);
    // A newcomer does not jump the queue.
    expect(lanes.tryAcquire("ep_1", 1)).toBeNull();

    running.release(5);
    expect(a.slot).toBeDefined();
    expect(b.slot).toBeUndefined();
    expect(lanes.inFlight("ep_1")).toBe(1);
    a.slot?.release(5);
    expect(b.slot).toBeDefined();
    expect(lanes.waiting()).toBe(0);
  });

  it("bounds the queue by estimated time: (waiting + 1) × duration / maxConcurrency", () => {
    const lanes = lanesFor(100);
    lanes.tryAcquire("ep_1", 2);
    lanes.tryAcquire("ep_1", 2);
    // No history: 10 ms a request, two at a time, so 20 tasks fit in 100 ms.
    for (let i = 0; i < 20; i++) expect(lanes.enqueue("ep_1", waiter(`${i}`)).kind).toBe("queued");
    const over = lanes.enqueue("ep_1", waiter("21st"));
    expect(over).toEqual({ kind: "defer", delayMs: MIN_DEFER_MS });
  });

  it("learns from request durations, and defers near the estimated wait", () => {
    const lanes = lanesFor(1_000, { smoothing: 1 });
    const slot = lanes.tryAcquire("ep_1", 1)!;
    slot.release(1_500);
    lanes.tryAcquire("ep_1", 1);
    // One 1.5 s request ahead: over the bound, put back for about 1.5 s.
    expect(lanes.enqueue("ep_1", waiter("late"))).toEqual({ kind: "defer", delayMs: 1_500 });
  });

  it("lets one slow first request (a connection being set up) move the estimate only a little", () => {
    const lanes = lanesFor(100);
    lanes.tryAcquire("ep_1", 1)?.release(70);
    lanes.tryAcquire("ep_1", 1);
    // 10 ms + 0.2 × (70 − 10) = 22 ms a request: four fit in 100 ms, not one.
    for (let i = 0; i < 4; i++) expect(lanes.enqueue("ep_1", waiter(`${i}`)).kind).toBe("queued");
    expect(lanes.enqueue("ep_1", waiter("5th")).kind).toBe("defer");
  });

  it("counts a request in flight for longer than the bound as at least as long as its age", () => {
    const lanes = lanesFor(1_000);
    lanes.tryAcquire("ep_hung", 1);
    expect(lanes.enqueue("ep_hung", waiter("early")).kind).toBe("queued");
    vi.advanceTimersByTime(1_500);
    // No request has finished, but the one in flight has taken 1.5 s already.
    const later = lanes.enqueue("ep_hung", waiter("later"));
    expect(later.kind).toBe("defer");
  });

  it("puts back a task that has waited twice the bound, whatever the estimate said", () => {
    const lanes = lanesFor(100);
    lanes.tryAcquire("ep_1", 1);
    const w = waiter("stuck");
    lanes.enqueue("ep_1", w);
    vi.advanceTimersByTime(199);
    expect(w.expiredAfterMs).toBeUndefined();
    vi.advanceTimersByTime(1);
    expect(w.expiredAfterMs).toBeGreaterThanOrEqual(MIN_DEFER_MS);
    expect(w.slot).toBeUndefined();
    expect(lanes.waiting()).toBe(0);
  });

  it("drains every waiting task at shutdown and defers later ones", () => {
    const lanes = lanesFor(1_000);
    const slot = lanes.tryAcquire("ep_1", 1)!;
    lanes.tryAcquire("ep_2", 1);
    const [a, b, c] = [waiter("a"), waiter("b"), waiter("c")];
    lanes.enqueue("ep_1", a);
    lanes.enqueue("ep_1", b);
    lanes.enqueue("ep_2", c);
    expect(lanes.drain().map((w) => w.name)).toEqual(["a", "b", "c"]);
    expect(lanes.waiting()).toBe(0);
    expect(lanes.enqueue("ep_1", waiter("d")).kind).toBe("defer");
    slot.release(5);
    vi.advanceTimersByTime(10_000);
    expect([a, b, c].every((w) => !w.slot && w.expiredAfterMs === undefined)).toBe(true);
  });

  it("starts waiting tasks when the endpoint's cap rises", () => {
    const lanes = lanesFor(1_000);
    lanes.tryAcquire("ep_1", 1);
    const w = waiter("w");
    lanes.enqueue("ep_1", w);
    lanes.setCap("ep_1", 2);
    expect(w.slot).toBeDefined();
  });

  it("keeps the history of idle endpoints, forgetting the least recently used beyond the bound", () => {
    const lanes = lanesFor(1_000, { smoothing: 1, maxRememberedEndpoints: 2 });
    lanes.tryAcquire("ep_slow", 1)?.release(3_000);
    lanes.tryAcquire("ep_other", 1)?.release(5);
    lanes.tryAcquire("ep_slow", 1);
    expect(lanes.enqueue("ep_slow", waiter("x")).kind).toBe("defer");
    lanes.drain();

    const forgetting = lanesFor(1_000, { smoothing: 1, maxRememberedEndpoints: 1 });
    forgetting.tryAcquire("ep_slow", 1)?.release(3_000);
    forgetting.tryAcquire("ep_other", 1)?.release(5);
    forgetting.tryAcquire("ep_slow", 1);
    // ep_slow's 3 s history was forgotten: back to the small default.
    expect(forgetting.enqueue("ep_slow", waiter("y")).kind).toBe("queued");
    forgetting.drain();
  });
});

describe("rate limit per endpoint", () => {
  it("starts at most the endpoint's rate per second, each later task when its token is due", () => {
    const lanes = lanesFor(1_000);
    // 2 per second: a bucket of one token, then one every 500 ms.
    const first = lanes.tryAcquire("ep_rated", 8, 2);
    expect(first).not.toBeNull();
    first?.release(1);
    expect(lanes.isBusy("ep_rated")).toBe(true);
    expect(lanes.tryAcquire("ep_rated", 8, 2)).toBeNull();
    const [a, b] = [waiter("a"), waiter("b")];
    expect(lanes.enqueue("ep_rated", a)).toEqual({ kind: "queued" });
    expect(lanes.enqueue("ep_rated", b)).toEqual({ kind: "queued" });

    vi.advanceTimersByTime(499);
    expect(a.slot).toBeUndefined();
    vi.advanceTimersByTime(1);
    expect(a.slot).toBeDefined();
    expect(b.slot).toBeUndefined();
    vi.advanceTimersByTime(500);
    expect(b.slot).toBeDefined();
    expect(lanes.waiting()).toBe(0);
  });

  it("puts back what would wait beyond the bound for the rate, and holds no other endpoint", () => {
    const lanes = lanesFor(1_000);
    expect(lanes.tryAcquire("ep_rated", 8, 1)).not.toBeNull();
    expect(lanes.enqueue("ep_rated", waiter("a"))).toEqual({ kind: "queued" }); // 1 s
    const admission = lanes.enqueue("ep_rated", waiter("b")); // 2 s: beyond the bound
    expect(admission).toEqual({ kind: "defer", delayMs: 2_000 });
    // Another endpoint, limited or not, starts at once.
    expect(lanes.tryAcquire("ep_other", 8)).not.toBeNull();
    expect(lanes.tryAcquire("ep_other_rated", 8, 1)).not.toBeNull();
  });

  it("allows a burst of a tenth of a second's worth, and follows a changed or removed limit", () => {
    const lanes = lanesFor(1_000);
    const started = Array.from({ length: 12 }, () => lanes.tryAcquire("ep_fast", 100, 100));
    expect(started.filter(Boolean)).toHaveLength(10);
    vi.advanceTimersByTime(10);
    expect(lanes.tryAcquire("ep_fast", 100, 100)).not.toBeNull();
    expect(lanes.tryAcquire("ep_fast", 100, 100)).toBeNull();

    const queued = waiter("queued");
    expect(lanes.enqueue("ep_fast", queued)).toEqual({ kind: "queued" });
    lanes.setCap("ep_fast", 100, null); // the limit was removed
    expect(queued.slot).toBeDefined();
    expect(lanes.tryAcquire("ep_fast", 100, null)).not.toBeNull();

    // Lowered from 100 to 10 per second: the bucket shrinks to one token.
    const lowered = Array.from({ length: 3 }, () => lanes.tryAcquire("ep_lowered", 100, 100));
    expect(lowered.filter(Boolean)).toHaveLength(3);
    lanes.setCap("ep_lowered", 100, 10);
    expect(lanes.tryAcquire("ep_lowered", 100, 10)).not.toBeNull();
    expect(lanes.tryAcquire("ep_lowered", 100, 10)).toBeNull();
  });
});

describe("deferDelayMs", () => {
  it("jitters the estimate by ±25% within 200 ms–5 s", () => {
    expect(deferDelayMs(1_000, () => 0)).toBe(750);
    expect(deferDelayMs(1_000, () => 0.999_999)).toBe(1_250);
    expect(deferDelayMs(10, () => 0.5)).toBe(MIN_DEFER_MS);
    expect(deferDelayMs(60_000, () => 0.5)).toBe(MAX_DEFER_MS);
  });
});
