import { z } from "zod";

/** The private node that `npm start` runs (tooling/dev-nats), never the machine's 4222. */
export const DEV_NATS_URL = "nats://127.0.0.1:14222";

/** JetStream keeps at most five copies of a stream (one leader, four followers). */
export const MAX_REPLICAS = 5;

/**
 * "nats://a:4222,nats://b:4222" → ["nats://a:4222", "nats://b:4222"]. Every server of a
 * cluster may be listed; the client picks one, learns the others from it, and moves to
 * another when its server goes away. Throws naming the entry that is not a server URL.
 */
export function parseNatsServers(list: string): string[] {
  const servers = list
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (servers.length === 0) throw new Error("lists no server");
  for (const server of servers) {
    const withScheme = server.includes("://") ? server : `nats://${server}`;
    let url: URL;
    try {
      url = new URL(withScheme);
    } catch {
      throw new Error(`"${server}" is not a server URL (nats://host:port)`);
    }
    if (!["nats:", "tls:"].includes(url.protocol) || !url.hostname) {
      throw new Error(`"${server}" is not a server URL (nats://host:port or tls://host:port)`);
    }
  }
  return servers;
}

/**
 * The NATS settings every process that opens the queue reads: NATS_URL (one server or a
 * comma-separated list) and NATS_REPLICAS (copies of each stream and of the endpoints
 * bucket: 1 on one server, 3 on a three-node cluster). Every process applies the
 * topology when it starts, so all of them must be given the same replicas.
 */
export const natsEnvSchema = {
  NATS_URL: z
    .string()
    .default(DEV_NATS_URL)
    .transform((list, ctx) => {
      try {
        return parseNatsServers(list);
      } catch (err) {
        ctx.addIssue({ code: "custom", message: `NATS_URL ${(err as Error).message}` });
        return z.NEVER;
      }
    }),
  NATS_REPLICAS: z.coerce.number().int().min(1).max(MAX_REPLICAS).default(1),
};
