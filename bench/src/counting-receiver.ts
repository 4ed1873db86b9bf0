import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A webhook receiver in the benchmark process that keeps only what the figures need:
 * each `webhook-id`'s first arrival time, the commit time its event carries, and the
 * number of POSTs. It can be "down"
 * (answers 503, as a clinic in an outage would) and brought back up.
 */
export type CountingReceiver = {
  url: string;
  /** First arrival (ms) per webhook-id, while up. */
  arrivals: Map<string, number>;
  /** First arrival (ms) per path and webhook-id: one per endpoint when each has its own path. */
  arrivalsByPath: Map<string, number>;
  /** The event's own `timestamp` (ms): when the insurer committed it. */
  committedAt: Map<string, number>;
  posts(): number;
  setUp(up: boolean): void;
  close(): Promise<void>;
};

export async function startCountingReceiver(): Promise<CountingReceiver> {
  const arrivals = new Map<string, number>();
  const arrivalsByPath = new Map<string, number>();
  const committedAt = new Map<string, number>();
  let posts = 0;
  let up = true;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      posts++;
      if (!up) {
        res.writeHead(503).end();
        return;
      }
      const id = String(req.headers["webhook-id"]);
      const now = Date.now();
      if (!arrivals.has(id)) {
        arrivals.set(id, now);
        try {
          const at = Date.parse(JSON.parse(Buffer.concat(chunks).toString("utf8")).timestamp);
          if (Number.isFinite(at)) committedAt.set(id, at);
        } catch {
          // Not an event body: no commit time to keep.
        }
      }
      const key = `${req.url} ${id}`;
      if (!arrivalsByPath.has(key)) arrivalsByPath.set(key, now);
      res.writeHead(204).end();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks`,
    arrivals,
    arrivalsByPath,
    committedAt,
    posts: () => posts,
    setUp: (value) => {
      up = value;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
