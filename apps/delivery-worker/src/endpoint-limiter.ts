/**
 * Counts requests in flight per endpoint in this worker, so one slow endpoint cannot
 * take every connection (issue 3 item 3). The cap is per worker: with N workers an
 * endpoint sees at most N × maxConcurrency requests at once.
 */
export type EndpointLimiter = {
  /** A release function if the endpoint has a free slot, else null. */
  tryAcquire(endpointId: string, maxConcurrency: number): (() => void) | null;
  inFlight(endpointId: string): number;
  /**
   * Whether the endpoint is at the cap it had when last acquired, so a task for a busy
   * endpoint can be put back without reading its config from KV first: a slow endpoint's
   * queued tasks cycle through every few hundred ms, and each read would be wasted.
   */
  isFull(endpointId: string): boolean;
};

/**
 * @example
 * const release = limiter.tryAcquire(task.endpointId, config.maxConcurrency);
 * if (!release) return msg.nak(deferDelayMs());
 * try { await send(); } finally { release(); }
 */
export function createEndpointLimiter(): EndpointLimiter {
  const counts = new Map<string, number>();
  const caps = new Map<string, number>();
  return {
    tryAcquire(endpointId, maxConcurrency) {
      caps.set(endpointId, maxConcurrency);
      const count = counts.get(endpointId) ?? 0;
      if (count >= maxConcurrency) return null;
      counts.set(endpointId, count + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const left = (counts.get(endpointId) ?? 1) - 1;
        if (left > 0) counts.set(endpointId, left);
        else {
          // Idle endpoints are forgotten, so the maps only hold endpoints in use.
          counts.delete(endpointId);
          caps.delete(endpointId);
        }
      };
    },
    inFlight: (endpointId) => counts.get(endpointId) ?? 0,
    isFull: (endpointId) => (counts.get(endpointId) ?? 0) >= (caps.get(endpointId) ?? Infinity),
  };
}

/**
 * How long a task for a busy endpoint waits before it is offered again: 200–500 ms,
 * jittered so the deferred tasks of one endpoint don't all come back in the same instant.
 */
export function deferDelayMs(random: () => number = Math.random): number {
  return 200 + Math.floor(random() * 300);
}
