import type { IncomingHttpHeaders, Server } from "node:http";
import type { AddressInfo } from "node:net";

// Hop-by-hop headers belong to one connection, not to the request being passed on.
const HOP_BY_HOP = new Set(["host", "connection", "keep-alive", "transfer-encoding", "upgrade"]);

/** The headers a test proxy passes on, in either direction: all but the hop-by-hop ones. */
export function passOnHeaders(
  headers: IncomingHttpHeaders | Record<string, string | string[] | undefined>,
): Record<string, string | string[]> {
  return Object.fromEntries(
    Object.entries(headers).filter(([name, value]) => !HOP_BY_HOP.has(name) && value !== undefined),
  ) as Record<string, string | string[]>;
}

/** Listens on a free loopback port; resolves to `http://127.0.0.1:<port>`. */
export async function listenOnLoopback(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}
