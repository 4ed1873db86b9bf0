/**
 * Load shapes. `closedLoop` keeps `concurrency` calls outstanding until `count` are done
 * (the maximum rate); `openLoop` starts calls on a fixed schedule whatever their latency
 * (a rate below the maximum), so a slow answer cannot slow the offered load down.
 */
export async function closedLoop(
  count: number,
  concurrency: number,
  call: (i: number) => Promise<unknown>,
  onDone?: (done: number) => void,
): Promise<{ elapsedMs: number; failures: number }> {
  let next = 0;
  let done = 0;
  let failures = 0;
  const started = performance.now();
  async function lane(): Promise<void> {
    while (next < count) {
      const i = next++;
      try {
        await call(i);
      } catch {
        failures++;
      }
      done++;
      onDone?.(done);
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
  return { elapsedMs: performance.now() - started, failures };
}

export async function openLoop(
  ratePerSecond: number,
  durationMs: number,
  call: (i: number) => Promise<unknown>,
  onDone?: (done: number) => void,
): Promise<{ started: number; failures: number; lateStarts: number }> {
  const count = Math.max(1, Math.round((ratePerSecond * durationMs) / 1000));
  const t0 = performance.now();
  const pending = new Set<Promise<void>>();
  let failures = 0;
  let done = 0;
  let lateStarts = 0;
  for (let i = 0; i < count; i++) {
    const due = t0 + (i * 1000) / ratePerSecond;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    else if (wait < -20) lateStarts++;
    const p: Promise<void> = call(i)
      .then(
        () => {},
        () => {
          failures++;
        },
      )
      .finally(() => {
        done++;
        onDone?.(done);
        pending.delete(p);
      });
    pending.add(p);
  }
  await Promise.all(pending);
  return { started: count, failures, lateStarts };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * `ratePerSecond` calls a second on a fixed schedule (as openLoop) until `stop()`, which
 * resolves once the calls started have ended: a steady load under which something else
 * happens (a node killed), for as long as that takes.
 */
export function steadyLoad(ratePerSecond: number, call: (i: number) => Promise<unknown>) {
  const t0 = performance.now();
  const pending = new Set<Promise<void>>();
  let failures = 0;
  let started = 0;
  let stopped = false;
  const running = (async () => {
    while (!stopped) {
      const due = t0 + (started * 1000) / ratePerSecond;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      if (stopped) break;
      const p: Promise<void> = call(started++)
        .then(
          () => {},
          () => {
            failures++;
          },
        )
        .finally(() => pending.delete(p));
      pending.add(p);
    }
  })();
  return {
    async stop(): Promise<{ started: number; failures: number }> {
      stopped = true;
      await running;
      await Promise.all(pending);
      return { started, failures };
    },
  };
}
