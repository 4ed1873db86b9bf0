import { createServer } from "node:http";
import { pipeline } from "node:stream/promises";
import { Agent, request } from "undici";
import { listenOnLoopback, passOnHeaders } from "./proxy-plumbing.ts";

/**
 * The load balancer in front of several insurer processes, as production would have one:
 * each request goes to the next backend in turn; a backend that refuses the connection
 * (its process is dead) is skipped for the next one, since the request never reached it.
 * A backend that dies while it handles a request answers nothing: the client gets a 502
 * and decides, as it would behind a real balancer.
 */
export type RoundRobinBalancer = {
  /** `http://127.0.0.1:<port>`: the one address clients are given. */
  url: string;
  close(): Promise<void>;
};

export async function startRoundRobinBalancer(backends: string[]): Promise<RoundRobinBalancer> {
  let next = 0;
  // Long polls hold a request for as long as they like: no timeouts of the balancer's own.
  const agent = new Agent({ headersTimeout: 0, bodyTimeout: 0 });

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", async () => {
      const body = Buffer.concat(chunks);
      const first = next++ % backends.length;
      for (let tried = 0; tried < backends.length; tried++) {
        const backend = backends[(first + tried) % backends.length]!;
        let sent = false;
        try {
          const answer = await request(`${backend}${req.url}`, {
            method: req.method as "GET",
            headers: passOnHeaders(req.headers),
            body: body.length > 0 ? body : null,
            dispatcher: agent,
          });
          sent = true;
          res.writeHead(answer.statusCode, passOnHeaders(answer.headers));
          await pipeline(answer.body, res);
          return;
        } catch (err) {
          const code = (err as { code?: string }).code ?? "";
          // Only a refused connection is surely unprocessed; a reset may come after the work.
          if (sent || code !== "ECONNREFUSED" || res.headersSent) {
            if (!res.headersSent) res.writeHead(502).end(`backend failed: ${code}`);
            else res.destroy();
            return;
          }
          // Refused: this backend is down; the request goes to the next one.
        }
      }
      res.writeHead(502).end("every backend refused the connection");
    });
  });
  const url = await listenOnLoopback(server);
  return {
    url,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await agent.close();
    },
  };
}
