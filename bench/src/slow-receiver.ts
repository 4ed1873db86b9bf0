import { spawnProcess } from "@claimwire/testing";
import { request } from "undici";

/**
 * A webhook receiver as its own bare Node process that answers every POST with 204 after
 * `delayMs`, as a clinic whose handler takes that long would. Nothing else is loaded, so
 * its CPU is the HTTP cost alone. It counts POSTs and keeps the first and last arrival
 * time; `GET /count` returns them.
 */
export type SlowReceiver = {
  pid: number;
  /** Base URL; any path under it is a POST target (one per endpoint). */
  url: string;
  count(): Promise<ReceiverCount>;
  stop(): Promise<void>;
};

export type ReceiverCount = { posts: number; first: number; last: number };

export async function startSlowReceiver(delayMs: number): Promise<SlowReceiver> {
  const code = `
let posts = 0, first = 0, last = 0;
const s = require('node:http').createServer((q, r) => {
  if (q.method === 'GET') { r.writeHead(200, {'content-type': 'application/json'}); r.end(JSON.stringify({ posts, first, last })); return; }
  q.resume();
  q.on('end', () => setTimeout(() => {
    const now = Date.now(); posts++; if (!first) first = now; last = now;
    r.writeHead(204); r.end();
  }, ${Number(delayMs)}));
});
s.keepAliveTimeout = 60000;
s.listen(0, '127.0.0.1', () => console.log(s.address().port));`;
  const child = spawnProcess("slow receiver", process.execPath, ["-e", code]);
  const port = await child.waitForLine("its port", (line) => Number(line.trim()) || undefined);
  const url = `http://127.0.0.1:${port}`;
  return {
    pid: child.pid,
    url,
    async count() {
      const res = await request(`${url}/count`);
      return (await res.body.json()) as ReceiverCount;
    },
    stop: () => child.kill("SIGTERM"),
  };
}

/** The receivers' counts added up: every POST, the earliest first and the latest last arrival. */
export async function totalCount(receivers: readonly SlowReceiver[]): Promise<ReceiverCount> {
  const counts = await Promise.all(receivers.map((r) => r.count()));
  return {
    posts: counts.reduce((sum, c) => sum + c.posts, 0),
    first: Math.min(...counts.map((c) => c.first || Number.POSITIVE_INFINITY)),
    last: Math.max(...counts.map((c) => c.last)),
  };
}
