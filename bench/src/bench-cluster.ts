import { startNatsCluster, type TestNatsCluster } from "@claimwire/queue/testing";
import type { ExternalNats } from "./bench-system.ts";

/**
 * A three-node JetStream cluster on loopback (packages/queue/src/testing) for the
 * cluster phases, described as the NATS a bench system is started on: every stream and
 * the endpoints bucket with three copies, each node's pid by name for CPU figures.
 */
export async function startBenchCluster(): Promise<{
  cluster: TestNatsCluster;
  nats: ExternalNats;
}> {
  const cluster = await startNatsCluster({ size: 3 });
  return {
    cluster,
    nats: {
      url: cluster.url,
      replicas: 3,
      pids: () =>
        Object.fromEntries(
          cluster.nodes.flatMap((node) => {
            const pid = node.pid();
            return pid === undefined ? [] : [[`nats-server ${node.name}`, pid]];
          }),
        ),
    },
  };
}
