import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, type SpawnedProcess, spawnProcess, waitFor } from "@claimwire/testing";
import { NATS_SERVER_BIN } from "./nats-server.ts";
import { readStreamGroup } from "./stream-group.ts";
import { createTestNetwork, type TestHost, type TestNetwork } from "./test-network.ts";

/** One nats-server of a test cluster: its own client, route and monitoring ports and store. */
export type ClusterNode = {
  /** The server name, as JetStream reports leaders ("n1", "n2", …). */
  name: string;
  url: string;
  /** The running process's pid (undefined while it is killed). */
  pid(): number | undefined;
  running(): boolean;
  /** SIGKILL; the store survives for `restart`. */
  kill(): Promise<void>;
  /** SIGTERM and wait for the exit (a clean shutdown, as in a rolling restart). */
  stop(): Promise<void>;
  /** Starts it again on the same ports and store, and waits until it reports healthy. */
  restart(): Promise<void>;
  /** SIGSTOP: the process keeps its sockets but answers nothing. */
  pause(): void;
  resume(): void;
  /**
   * Resolves when the node's /healthz says ok: with `scope: "server"` (what `restart`
   * waits for) once it is in touch with the JetStream meta leader; with "all" once every
   * stream and consumer it holds is current too. (nats-server 2.9.10 can leave an idle
   * consumer "not current" on a restarted node until work flows through it.)
   */
  healthy(opts?: { scope?: "server" | "all"; timeoutMs?: number }): Promise<void>;
  /** Every line the node has logged, across restarts. */
  log(): string[];
};

export type TestNatsCluster = {
  /** Every node's client URL, comma-separated, as NATS_URL takes it. */
  url: string;
  servers: string[];
  nodes: ClusterNode[];
  /** The node that leads `stream` now (waits through an election). */
  leaderOf(stream: string, timeoutMs?: number): Promise<ClusterNode>;
  /**
   * Cuts `node` off from the other nodes; clients still reach it. Only on a cluster
   * started with `network: "namespaces"`.
   */
  partition(node: ClusterNode): void;
  heal(node: ClusterNode): void;
  stop(): Promise<void>;
};

export type NatsClusterOptions = {
  size?: number;
  /**
   * "loopback" (default): every node on 127.0.0.1 with its own ports. "namespaces": each
   * node on a host of its own (test-network.ts), so that one can be partitioned; needs root.
   */
  network?: "loopback" | "namespaces";
};

/**
 * A private JetStream cluster for one test run, stopped and removed afterwards. Resolves
 * when a JetStream meta leader is elected and every node is healthy.
 */
export async function startNatsCluster(opts: NatsClusterOptions = {}): Promise<TestNatsCluster> {
  const size = opts.size ?? 3;
  const network: TestNetwork | undefined =
    opts.network === "namespaces" ? createTestNetwork(size) : undefined;
  const storeRoot = await mkdtemp(join(tmpdir(), "claimwire-nats-cluster-"));
  const plans = await Promise.all(
    Array.from({ length: size }, async (_, i) => ({
      name: `n${i + 1}`,
      host: network?.hosts[i],
      address: network?.hosts[i]?.address ?? "127.0.0.1",
      port: await freePort(),
      routePort: await freePort(),
      monitorPort: await freePort(),
      storeDir: join(storeRoot, `n${i + 1}`),
    })),
  );
  const routes = plans.map((p) => `nats://${p.address}:${p.routePort}`).join(",");
  const nodes = plans.map((plan) => clusterNode(plan, routes));
  const byNode = new Map(nodes.map((node, i) => [node, plans[i]?.host]));

  const stop = async () => {
    await Promise.all(nodes.map((node) => node.kill()));
    network?.remove();
    await rm(storeRoot, { recursive: true, force: true });
  };

  const servers = nodes.map((node) => node.url);
  try {
    await Promise.all(nodes.map((node) => node.restart()));
  } catch (err) {
    await stop();
    throw err;
  }

  const hostOf = (node: ClusterNode): TestHost => {
    const host = byNode.get(node);
    if (!network || !host) {
      throw new Error('partitioning a node needs a cluster started with network: "namespaces"');
    }
    return host;
  };

  return {
    url: servers.join(","),
    servers,
    nodes,
    leaderOf: (stream, timeoutMs = 30_000) =>
      waitFor(
        `a leader of stream ${stream}`,
        async () => {
          const { leader } = await readStreamGroup(servers, stream);
          return nodes.find((node) => node.name === leader);
        },
        { timeoutMs, intervalMs: 250 },
      ),
    partition: (node) => {
      const host = hostOf(node);
      network?.cut(host, nodes.filter((other) => other !== node).map(hostOf));
    },
    heal: (node) => network?.heal(hostOf(node)),
    stop,
  };
}

type NodePlan = {
  name: string;
  host: TestHost | undefined;
  address: string;
  port: number;
  routePort: number;
  monitorPort: number;
  storeDir: string;
};

function clusterNode(plan: NodePlan, routes: string): ClusterNode {
  const args = [
    "-js",
    "-n",
    plan.name,
    "-a",
    plan.address,
    "-p",
    String(plan.port),
    "-m",
    String(plan.monitorPort),
    "-sd",
    plan.storeDir,
    "--cluster_name",
    "claimwire-test",
    "--cluster",
    `nats://${plan.address}:${plan.routePort}`,
    "--routes",
    routes,
  ];
  // `ip netns exec` execs the server in place, so the pid is the server's own.
  const [command, commandArgs] = plan.host
    ? ["ip", ["netns", "exec", plan.host.namespace, NATS_SERVER_BIN, ...args]]
    : [NATS_SERVER_BIN, args];
  const runs: SpawnedProcess[] = [];
  let server: SpawnedProcess | undefined;

  const healthy = async ({ scope = "server", timeoutMs = 30_000 } = {}) => {
    const query = scope === "server" ? "?js-server-only=true" : "";
    await waitFor(
      `nats-server ${plan.name} healthy (${scope})`,
      async () => {
        const url = `http://${plan.address}:${plan.monitorPort}/healthz${query}`;
        const response = await fetch(url, {
          signal: AbortSignal.timeout(1_000),
        });
        if (!response.ok) throw new Error(`/healthz: ${await response.text()}`);
        return true;
      },
      { timeoutMs, intervalMs: 200 },
    );
  };

  return {
    name: plan.name,
    url: `nats://${plan.address}:${plan.port}`,
    log: () => runs.flatMap((run) => run.lines),
    pid: () => (server?.running() ? server.pid : undefined),
    running: () => server?.running() ?? false,
    kill: async () => {
      server?.child.kill("SIGCONT");
      await server?.kill("SIGKILL");
    },
    stop: async () => {
      server?.child.kill("SIGCONT");
      await server?.kill("SIGTERM", 10_000);
    },
    restart: async () => {
      if (server?.running()) throw new Error(`nats-server ${plan.name} is still running`);
      const started = spawnProcess(`nats-server ${plan.name}`, command, commandArgs);
      server = started;
      runs.push(started);
      await started.waitForLine(
        `'Server is ready' on port ${plan.port}`,
        (line) => line.includes("Server is ready"),
        15_000,
      );
      await healthy();
    },
    pause: () => server?.child.kill("SIGSTOP"),
    resume: () => server?.child.kill("SIGCONT"),
    healthy,
  };
}
