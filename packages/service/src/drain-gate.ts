import type { Context, MiddlewareHandler } from "hono";

export type DrainGate = {
  /** Put first on the app: counts the requests running, turns some away while draining. */
  middleware: MiddlewareHandler;
  draining(): boolean;
  /** Starts the drain; resolves once the requests running (counted) have ended. */
  drain(): Promise<void>;
};

/**
 * The HTTP half of a drain on SIGTERM (docs/deploy.md, "Probes and shutdown"): once
 * `drain()` is called, a request `refuse` answers for gets that answer with
 * `connection: close` (the client retries elsewhere, or here once restarted); the others
 * run and are counted, and `drain()` resolves when none is left. `exempt` paths (the
 * probes, /metrics) are always served and never counted. A streamed response counts until
 * its handler returns, not while it streams.
 *
 * @example
 * const gate = createDrainGate({
 *   exempt: ["/healthz", "/readyz"],
 *   refuse: (c) => c.json({ error: "shutting down" }, 503),
 * });
 * new Hono().use(gate.middleware);
 * await gate.drain();
 */
export function createDrainGate({
  exempt,
  refuse,
}: {
  exempt: readonly string[];
  /** The answer while draining; undefined lets the request run. */
  refuse: (c: Context) => Response | undefined;
}): DrainGate {
  const exemptPaths = new Set(exempt);
  let draining = false;
  let running = 0;
  let onIdle: (() => void) | undefined;
  let idle: Promise<void> | undefined;
  return {
    middleware: async (c, next) => {
      if (exemptPaths.has(c.req.path)) return next();
      if (draining) {
        const refusal = refuse(c);
        if (refusal) {
          refusal.headers.set("connection", "close");
          return refusal;
        }
      }
      running++;
      try {
        await next();
      } finally {
        running--;
        if (running === 0) onIdle?.();
      }
    },
    draining: () => draining,
    drain() {
      draining = true;
      idle ??=
        running === 0
          ? Promise.resolve()
          : new Promise<void>((resolve) => {
              onIdle = resolve;
            });
      return idle;
    },
  };
}
