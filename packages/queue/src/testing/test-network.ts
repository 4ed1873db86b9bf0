import { execFileSync } from "node:child_process";
import { randomInt } from "node:crypto";

/**
 * Private hosts for tests that must cut a network: one Linux network namespace per host,
 * each joined to a bridge in the test's own namespace by a veth pair, on a /24 of
 * 10.213.x.0 chosen at random. The test's process reaches every host at its address
 * (the bridge is 10.213.x.1); a host can be cut off from chosen peers with blackhole
 * routes on both sides, which leaves its link to the test (and to clients) up. Needs
 * root and iproute2; everything is removed by `remove()`, or when the process exits.
 */
export type TestNetwork = {
  hosts: TestHost[];
  /** Drops every packet between `host` and each of `peers` (both ways) until `heal`. */
  cut(host: TestHost, peers: readonly TestHost[]): void;
  /** Removes every cut that involves `host`. */
  heal(host: TestHost): void;
  remove(): void;
};

export type TestHost = {
  /** The network namespace to run the host's processes in (`ip netns exec <ns> …`). */
  namespace: string;
  address: string;
};

function ip(...args: string[]): void {
  execFileSync("ip", args, { stdio: ["ignore", "ignore", "pipe"] });
}

function inNamespace(namespace: string, ...args: string[]): void {
  ip("netns", "exec", namespace, "ip", ...args);
}

function freeSubnet(): number {
  const taken = execFileSync("ip", ["-4", "-o", "addr"], { encoding: "utf8" });
  for (;;) {
    const third = randomInt(1, 255);
    if (!taken.includes(`10.213.${third}.`)) return third;
  }
}

export function createTestNetwork(size: number): TestNetwork {
  if (process.getuid?.() !== 0) {
    throw new Error("a test network (network namespaces, veth, a bridge) needs root");
  }
  const tag = `cw${randomInt(0, 36 ** 4)
    .toString(36)
    .padStart(4, "0")}`;
  const subnet = `10.213.${freeSubnet()}`;
  const bridge = `${tag}br`;
  const hosts: TestHost[] = [];
  const cuts = new Map<TestHost, Set<TestHost>>();

  const remove = () => {
    process.off("exit", remove);
    for (const host of hosts) {
      try {
        ip("netns", "del", host.namespace);
      } catch {}
    }
    try {
      ip("link", "del", bridge);
    } catch {}
  };
  process.once("exit", remove);

  try {
    ip("link", "add", bridge, "type", "bridge");
    ip("addr", "add", `${subnet}.1/24`, "dev", bridge);
    ip("link", "set", bridge, "up");
    for (let i = 1; i <= size; i++) {
      const host: TestHost = { namespace: `${tag}-${i}`, address: `${subnet}.${10 + i}` };
      const outside = `${tag}h${i}`;
      const inside = `${tag}n${i}`;
      ip("netns", "add", host.namespace);
      hosts.push(host);
      ip("link", "add", outside, "type", "veth", "peer", "name", inside);
      ip("link", "set", inside, "netns", host.namespace);
      ip("link", "set", outside, "master", bridge);
      ip("link", "set", outside, "up");
      inNamespace(host.namespace, "addr", "add", `${host.address}/24`, "dev", inside);
      inNamespace(host.namespace, "link", "set", inside, "up");
      inNamespace(host.namespace, "link", "set", "lo", "up");
    }
  } catch (err) {
    remove();
    const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim();
    throw new Error(`could not build the test network: ${stderr || (err as Error).message}`, {
      cause: err,
    });
  }

  const blackhole = (action: "add" | "del", from: TestHost, to: TestHost) =>
    inNamespace(from.namespace, "route", action, "blackhole", `${to.address}/32`);

  return {
    hosts,
    cut(host, peers) {
      const cut = cuts.get(host) ?? new Set();
      for (const peer of peers) {
        if (peer === host || cut.has(peer)) continue;
        blackhole("add", host, peer);
        blackhole("add", peer, host);
        cut.add(peer);
      }
      cuts.set(host, cut);
    },
    heal(host) {
      for (const peer of cuts.get(host) ?? []) {
        blackhole("del", host, peer);
        blackhole("del", peer, host);
      }
      cuts.delete(host);
    },
    remove,
  };
}
