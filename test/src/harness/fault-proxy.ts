import { createServer, type IncomingHttpHeaders } from "node:http";
import { Agent, request } from "undici";
import { listenOnLoopback, passOnHeaders } from "./proxy-plumbing.ts";

/**
 * A flaky network and receiver in front of a real clinic, for the chaos suite: it answers
 * 500 to a share of webhook POSTs and stalls a share of them past the sender's timeout.
 * Half of the 500s and every stall are passed on to the clinic first, so the clinic
 * commits a message whose sender believes it failed: the sender tries again, and the
 * clinic's inbox must absorb the copy. It counts what happened per `webhook-id`.
 */
export type FaultProxy = {
  /** `http://127.0.0.1:<port>`: the clinic's CLINIC_PUBLIC_URL. */
  url: string;
  setTarget(url: string): void;
  /** Injects faults while true (the default); passes everything through when false. */
  setFaulty(faulty: boolean): void;
  stats: FaultProxyStats;
  close(): Promise<void>;
};

export type FaultProxyStats = {
  /** Webhook POSTs received, whatever became of them. */
  posts: number;
  /** Answered 500 by the proxy (of which `failedAfterForward` reached the clinic first). */
  injected500: number;
  failedAfterForward: number;
  /** Held past the sender's timeout after the clinic answered. */
  stalled: number;
  /** The clinic could not be reached (down): answered 502. */
  unreachable: number;
  /** Per webhook-id: how many times the clinic itself answered 2xx (it stored or deduped it). */
  acceptedByClinic: Map<string, number>;
  /**
   * Every webhook the clinic answered 2xx, in order: when, and when its event was
   * committed (the body's `timestamp`). How long the system took to move again after a
   * fault is read from it: the first event committed after the fault to reach a clinic.
   */
  arrivals: { at: number; committedAt: number }[];
};

export type FaultProxyOptions = {
  /** Share of POSTs answered 500 (default 0.3). */
  failRate?: number;
  /** Share of POSTs stalled for `stallMs` (default 0.1). */
  stallRate?: number;
  /** How long a stalled answer is held: longer than the sender's timeout. */
  stallMs: number;
  /** A number in [0, 1); a seeded generator makes a run reproducible. */
  random?: () => number;
};

export async function startFaultProxy(opts: FaultProxyOptions): Promise<FaultProxy> {
  const { failRate = 0.3, stallRate = 0.1, stallMs, random = Math.random } = opts;
  let target: string | undefined;
  let faulty = true;
  const agent = new Agent({ connect: { timeout: 2_000 }, keepAliveTimeout: 4_000 });
  const timers = new Set<NodeJS.Timeout>();
  const stats: FaultProxyStats = {
    posts: 0,
    injected500: 0,
    failedAfterForward: 0,
    stalled: 0,
    unreachable: 0,
    acceptedByClinic: new Map(),
    arrivals: [],
  };

  async function forward(path: string, headers: IncomingHttpHeaders, body: Buffer) {
    if (!target) return { status: 503, body: Buffer.from("no target yet") };
    try {
      const res = await request(`${target}${path}`, {
        method: "POST",
        headers: passOnHeaders(headers),
        body,
        dispatcher: agent,
        headersTimeout: 10_000,
        bodyTimeout: 10_000,
      });
      const answer = Buffer.from(await res.body.arrayBuffer());
      const id = headers["webhook-id"];
      if (res.statusCode < 300 && typeof id === "string") {
        stats.acceptedByClinic.set(id, (stats.acceptedByClinic.get(id) ?? 0) + 1);
        const committedAt = eventTime(body);
        if (committedAt !== undefined) stats.arrivals.push({ at: Date.now(), committedAt });
      }
      return { status: res.statusCode, body: answer };
    } catch {
      stats.unreachable += 1;
      return { status: 502, body: Buffer.from("clinic unreachable") };
    }
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const path = req.url ?? "/";
      if (req.method !== "POST") {
        res.writeHead(405).end();
        return;
      }
      stats.posts += 1;
      const roll = faulty ? random() : 1;
      const answer = (status: number, text: Buffer | string) => {
        if (!res.destroyed) res.writeHead(status, { "content-type": "text/plain" }).end(text);
      };
      if (roll < failRate) {
        stats.injected500 += 1;
        // Half of them fail after the clinic committed: the sender retries a stored message.
        if (roll < failRate / 2) {
          stats.failedAfterForward += 1;
          void forward(path, req.headers, body).then(() => answer(500, "injected failure"));
        } else {
          answer(500, "injected failure");
        }
        return;
      }
      if (roll < failRate + stallRate) {
        stats.stalled += 1;
        void forward(path, req.headers, body).then(({ status, body: text }) => {
          const timer = setTimeout(() => {
            timers.delete(timer);
            answer(status, text);
          }, stallMs);
          timers.add(timer);
        });
        return;
      }
      void forward(path, req.headers, body).then(({ status, body: text }) => answer(status, text));
    });
  });

  const url = await listenOnLoopback(server);
  return {
    url,
    setTarget: (targetUrl) => {
      target = targetUrl.replace(/\/+$/, "");
    },
    setFaulty: (value) => {
      faulty = value;
    },
    stats,
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await agent.close().catch(() => {});
    },
  };
}

/** The `timestamp` of a webhook body `{ type, timestamp, data }`, as epoch ms. */
function eventTime(body: Buffer): number | undefined {
  try {
    const at = Date.parse(
      (JSON.parse(body.toString("utf8")) as { timestamp?: string }).timestamp ?? "",
    );
    return Number.isNaN(at) ? undefined : at;
  } catch {
    return undefined;
  }
}
