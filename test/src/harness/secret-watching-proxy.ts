import { createServer } from "node:http";
import { request } from "undici";
import { listenOnLoopback, passOnHeaders } from "./proxy-plumbing.ts";

/**
 * A pass-through proxy between the clinic and the insurer's API that remembers the last
 * endpoint signing secret the insurer issued in an answer (`endpoints.create`,
 * `endpoints.rotateSecret`). The insurer shows a secret once, to whoever created the
 * endpoint, and the clinic exposes it nowhere: watching that answer on the wire is how a
 * test learns it without opening the clinic's database.
 */
export type SecretWatchingProxy = {
  /** `http://127.0.0.1:<port>`: give this to the clinic as INSURER_URL. */
  url: string;
  /** The latest secret the insurer issued through this proxy, if any yet. */
  issuedSecret(): string | undefined;
  close(): Promise<void>;
};

const SECRET = /"secret":"(whsec_[^"]+)"/g;

export async function startSecretWatchingProxy(insurerUrl: string): Promise<SecretWatchingProxy> {
  const target = insurerUrl.replace(/\/+$/, "");
  let issued: string | undefined;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", async () => {
      const path = req.url ?? "/";
      try {
        const headers = passOnHeaders(req.headers);
        // Plain bodies only: the answer is read for the secret before it is passed on.
        delete headers["accept-encoding"];
        const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
        const answer = await request(`${target}${path}`, {
          method: (req.method ?? "GET") as "GET",
          headers,
          body,
        });
        const text = Buffer.from(await answer.body.arrayBuffer());
        if (/endpoints\.(create|rotateSecret)|\/endpoints/.test(path)) {
          for (const match of text.toString("utf8").matchAll(SECRET)) issued = match[1];
        }
        res.writeHead(answer.statusCode, passOnHeaders(answer.headers)).end(text);
      } catch {
        if (!res.headersSent) res.writeHead(502).end();
      }
    });
  });
  const url = await listenOnLoopback(server);
  return {
    url,
    issuedSecret: () => issued,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
