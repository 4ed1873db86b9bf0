import { createServer, type IncomingHttpHeaders } from "node:http";
import { request } from "undici";
import { listenOnLoopback, passOnHeaders } from "./proxy-plumbing.ts";

/**
 * A receiver's front door for tests: it counts every POST by `webhook-id` before passing
 * it on, so a test can see redeliveries the receiver itself absorbs (the clinic's inbox
 * dedupes them), and it can delay or hold requests to keep deliveries in flight.
 */
export type CountingProxy = {
  /** `http://127.0.0.1:<port>`: give this to the sender instead of the receiver's URL. */
  url: string;
  /** Where requests go; until set, the proxy answers 503 with Retry-After. */
  setTarget(url: string): void;
  /** POSTs received per `webhook-id`, whether or not they were answered. */
  posts: Map<string, number>;
  /** The first POST of each `webhook-id` as the sender made it: its headers and raw body. */
  firstPosts: Map<string, ReceivedPost>;
  /** Requests received and not yet answered. */
  inFlight(): number;
  /** Holds every request, new or waiting, until `release()`: deliveries stay in flight. */
  hold(): void;
  release(): void;
  close(): Promise<void>;
};

export type ReceivedPost = { headers: Record<string, string>; body: string };

export async function startCountingProxy({ delayMs = 0 } = {}): Promise<CountingProxy> {
  let target: string | undefined;
  let inFlight = 0;
  let gate: { opened: Promise<void>; open: () => void } | undefined;
  const posts = new Map<string, number>();
  const firstPosts = new Map<string, ReceivedPost>();

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const id = req.headers["webhook-id"];
      if (req.method === "POST" && typeof id === "string") {
        posts.set(id, (posts.get(id) ?? 0) + 1);
        if (!firstPosts.has(id)) {
          const headers = Object.fromEntries(
            Object.entries(req.headers).filter(
              (e): e is [string, string] => typeof e[1] === "string",
            ),
          );
          firstPosts.set(id, { headers, body: Buffer.concat(chunks).toString("utf8") });
        }
      }
      inFlight += 1;
      void forward(req.method ?? "GET", req.url ?? "/", req.headers, Buffer.concat(chunks))
        .then(({ status, headers, body }) => res.writeHead(status, headers).end(body))
        .catch(() => res.writeHead(502).end())
        .finally(() => {
          inFlight -= 1;
        });
    });
  });

  async function forward(method: string, path: string, headers: IncomingHttpHeaders, body: Buffer) {
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    await gate?.opened;
    if (!target) return { status: 503, headers: { "retry-after": "1" }, body: Buffer.alloc(0) };
    const res = await request(`${target}${path}`, {
      method: method as "POST",
      headers: passOnHeaders(headers),
      body,
    });
    const answer = Buffer.from(await res.body.arrayBuffer());
    return { status: res.statusCode, headers: passOnHeaders(res.headers), body: answer };
  }

  const url = await listenOnLoopback(server);
  return {
    url,
    setTarget: (targetUrl) => {
      target = targetUrl.replace(/\/+$/, "");
    },
    posts,
    firstPosts,
    inFlight: () => inFlight,
    hold: () => {
      if (gate) return;
      let open = () => {};
      const opened = new Promise<void>((resolve) => {
        open = resolve;
      });
      gate = { opened, open };
    },
    release: () => {
      gate?.open();
      gate = undefined;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
