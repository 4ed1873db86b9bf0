import { createServer } from "node:http";
import { request } from "undici";
import { listenOnLoopback, passOnHeaders } from "./proxy-plumbing.ts";

/**
 * A receiver's front door that a test can break and fix: while broken it answers every
 * request with a 500 and a body (what a crashed handler behind a reverse proxy sends),
 * so the sender records a failure with a status code and a response to show; once fixed
 * it passes requests on to the receiver unchanged.
 */
export type SwitchableProxy = {
  /** `http://127.0.0.1:<port>`: give this to the sender instead of the receiver's URL. */
  url: string;
  /** Where requests go when not broken; until set, the proxy answers 503 with Retry-After. */
  setTarget(url: string): void;
  /** From now on every request is answered with 500 and `BROKEN_BODY`. */
  break(): void;
  /** From now on requests are passed on again. */
  fix(): void;
  /** How many requests were answered with the 500 while broken. */
  refused(): number;
  close(): Promise<void>;
};

export const BROKEN_BODY = "upstream handler crashed (switchable proxy is broken)";

export async function startSwitchableProxy(): Promise<SwitchableProxy> {
  let target: string | undefined;
  let broken = false;
  let refused = 0;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      if (broken) {
        refused += 1;
        res.writeHead(500, { "content-type": "text/plain" }).end(BROKEN_BODY);
        return;
      }
      if (!target) {
        res.writeHead(503, { "retry-after": "1" }).end();
        return;
      }
      void request(`${target}${req.url ?? "/"}`, {
        method: (req.method ?? "GET") as "POST",
        headers: passOnHeaders(req.headers),
        body: chunks.length > 0 ? Buffer.concat(chunks) : null,
      })
        .then(async (answer) => {
          const body = Buffer.from(await answer.body.arrayBuffer());
          res.writeHead(answer.statusCode, passOnHeaders(answer.headers)).end(body);
        })
        .catch(() => res.writeHead(502).end());
    });
  });

  const url = await listenOnLoopback(server);
  return {
    url,
    setTarget: (targetUrl) => {
      target = targetUrl.replace(/\/+$/, "");
    },
    break: () => {
      broken = true;
    },
    fix: () => {
      broken = false;
    },
    refused: () => refused,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
