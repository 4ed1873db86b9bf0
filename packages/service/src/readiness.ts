import { Hono } from "hono";

/**
 * What a process needs before it takes work, by name (`database`, `nats`, `consumer`,
 * `draining`…). Each check answers undefined when fine, or a short fixed phrase saying
 * what is wrong ("disconnected", "draining"): never an error message, a URL or a
 * setting, since probes are unauthenticated.
 */
export type ReadinessChecks = Record<
  string,
  () => string | undefined | Promise<string | undefined>
>;

export type Readiness = { ready: true } | { ready: false; notReady: Record<string, string> };

/**
 * Runs every check. A check that throws counts as "check failed" (its message stays in
 * the process: it may name a host or a file).
 *
 * @example
 * await checkReadiness({ nats: () => (nc.isClosed() ? "closed" : undefined) });
 * // { ready: false, notReady: { nats: "closed" } }
 */
export async function checkReadiness(checks: ReadinessChecks): Promise<Readiness> {
  const notReady: Record<string, string> = {};
  await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      try {
        const problem = await check();
        if (problem !== undefined) notReady[name] = problem;
      } catch {
        notReady[name] = "check failed";
      }
    }),
  );
  return Object.keys(notReady).length === 0 ? { ready: true } : { ready: false, notReady };
}

/** 200 when ready, 503 otherwise (what Kubernetes-style readiness probes read). */
export const readinessStatus = (readiness: Readiness): 200 | 503 => (readiness.ready ? 200 : 503);

/**
 * GET /healthz (alive: this process's event loop answers, nothing else is asked) and
 * GET /readyz (ready to take work: every check passes; otherwise 503 and the names of
 * those that do not).
 *
 * @example
 * new Hono().route("/", createHealthRoutes({ nats: () => undefined }));
 */
export function createHealthRoutes(checks: ReadinessChecks): Hono {
  return new Hono()
    .get("/healthz", (c) => c.json({ ok: true }))
    .get("/readyz", async (c) => {
      const readiness = await checkReadiness(checks);
      return c.json(readiness, readinessStatus(readiness));
    });
}
