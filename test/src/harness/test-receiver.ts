import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export type Arrival = { webhookId: string; body: string; receivedAt: number };

/**
 * A webhook receiver in the test process: records every POST with its arrival time and
 * answers 204, after `delayMs` when set (a slow clinic). `open` counts requests it has
 * not answered yet.
 */
export type TestReceiver = {
  url: string;
  arrivals: Arrival[];
  open(): number;
  maxOpen(): number;
  close(): Promise<void>;
};

export async function startTestReceiver(opts: { delayMs?: number } = {}): Promise<TestReceiver> {
  const arrivals: Arrival[] = [];
  let open = 0;
  let maxOpen = 0;
  const timers = new Set<NodeJS.Timeout>();
  const server: Server = createServer((req, res) => {
    open += 1;
    maxOpen = Math.max(maxOpen, open);
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      arrivals.push({
        webhookId: String(req.headers["webhook-id"]),
        body: Buffer.concat(chunks).toString(),
        receivedAt: Date.now(),
      });
      const answer = () => {
        open -= 1;
        res.writeHead(204).end();
      };
      if (!opts.delayMs) return answer();
      const timer = setTimeout(() => {
        timers.delete(timer);
        answer();
      }, opts.delayMs);
      timers.add(timer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks`,
    arrivals,
    open: () => open,
    maxOpen: () => maxOpen,
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** p-th percentile (0–100) of a list of numbers, nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}
