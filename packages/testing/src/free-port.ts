import getPort from "get-port";

/**
 * A loopback TCP port that nothing listens on right now, for a server a test is about to
 * start (or for a "dead" address that must refuse connections). get-port also remembers
 * the ports it handed out for a while, so two calls in a row never give the same one.
 */
export function freePort(): Promise<number> {
  return getPort({ host: "127.0.0.1" });
}
