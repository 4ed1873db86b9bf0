import { waitFor } from "@claimwire/testing";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";

/** A stream's raft group as one side of the cluster sees it. */
export type StreamGroup = {
  leader: string | undefined;
  replicas: { name: string; current: boolean }[];
};

/**
 * The group of `stream` as reported through `servers` (a client picks one of them): ask
 * the nodes still in the majority, not a cut-off or frozen one, to see the election.
 */
export async function readStreamGroup(
  servers: readonly string[],
  stream: string,
): Promise<StreamGroup> {
  const nc = await connect({ servers: [...servers], timeout: 2_000, maxReconnectAttempts: 0 });
  try {
    const jsm = await jetstreamManager(nc, { timeout: 2_000 });
    const group = (await jsm.streams.info(stream)).cluster;
    return {
      leader: group?.leader,
      replicas: (group?.replicas ?? []).map((r) => ({ name: r.name, current: r.current })),
    };
  } finally {
    await nc.close();
  }
}

/**
 * Waits until the nodes in `servers` report a leader of `stream` other than `previous`
 * (the election after `previous` died, froze or was cut off); resolves to its name.
 */
export function newLeaderOf(
  servers: readonly string[],
  stream: string,
  previous: string,
  timeoutMs = 60_000,
): Promise<string> {
  return waitFor(
    `a leader of ${stream} other than ${previous}`,
    async () => {
      const { leader } = await readStreamGroup(servers, stream);
      return leader && leader !== previous ? leader : undefined;
    },
    { timeoutMs, intervalMs: 200 },
  );
}

/** Waits until `node` leads `stream` or follows it as a current replica. */
export function untilCurrentMember(
  servers: readonly string[],
  stream: string,
  node: string,
  timeoutMs = 60_000,
): Promise<true> {
  return waitFor(
    `${node} a current member of ${stream}'s group`,
    async () => {
      const group = await readStreamGroup(servers, stream);
      return group.leader === node || group.replicas.some((r) => r.name === node && r.current)
        ? true
        : undefined;
    },
    { timeoutMs, intervalMs: 250 },
  );
}
