import { setTimeout as sleep } from "node:timers/promises";
import { STREAMS } from "@claimwire/queue";
import {
  type ClusterNode,
  newLeaderOf,
  type TestNatsCluster,
  untilCurrentMember,
} from "@claimwire/queue/testing";

/**
 * Faults of a three-node JetStream cluster, for the cluster form of the chaos run. Each
 * strikes the node that leads the DELIVERIES stream (where it hurts: every task is
 * published to and handed out by that leader), except the rolling restart, which takes
 * every node in turn.
 */
const STREAM = STREAMS.deliveries;

/** One blow to the cluster: when it struck (for the time to recover), what it did, how long. */
export type ClusterFaultRecord = { fault: string; at: number; detail: string; ms: number };

export type ClusterFaultLog = { records: ClusterFaultRecord[] };

export function createClusterFaultLog(): ClusterFaultLog {
  return { records: [] };
}

/** The other nodes' URLs: they are the majority that elects, and they answer meanwhile. */
function othersThan(cluster: TestNatsCluster, node: ClusterNode): string[] {
  return cluster.nodes.filter((n) => n !== node).map((n) => n.url);
}

async function record(
  log: ClusterFaultLog,
  fault: string,
  strike: () => Promise<() => Promise<string>>,
): Promise<void> {
  const at = Date.now();
  const finish = await strike();
  const detail = await finish();
  log.records.push({ fault, at, detail, ms: Date.now() - at });
}

/**
 * The time from `at` until the other nodes report a new leader of DELIVERIES, as text
 * (or why none came).
 */
async function election(cluster: TestNatsCluster, node: ClusterNode, at: number) {
  try {
    const leader = await newLeaderOf(othersThan(cluster, node), STREAM, node.name);
    return `${leader} elected leader after ${Date.now() - at} ms`;
  } catch (err) {
    return `no new leader: ${(err as Error).message}`;
  }
}

/** kill -9 of the DELIVERIES leader; started again on the same store after `downMs`. */
export async function killStreamLeader(
  cluster: TestNatsCluster,
  log: ClusterFaultLog,
  downMs: number,
): Promise<void> {
  const leader = await cluster.leaderOf(STREAM);
  await record(log, `SIGKILL ${leader.name} (DELIVERIES leader)`, async () => {
    const at = Date.now();
    await leader.kill();
    const elected = await election(cluster, leader, at);
    return async () => {
      await sleep(Math.max(0, at + downMs - Date.now()));
      await leader.restart();
      const back = Date.now() - at;
      return `${elected}; restarted, healthy ${back} ms after the kill`;
    };
  });
}

/**
 * SIGSTOP of the DELIVERIES leader for `frozenMs` (longer than the raft election
 * timeout): it keeps its sockets, answers nothing, and wakes up believing it still leads.
 */
export async function freezeStreamLeader(
  cluster: TestNatsCluster,
  log: ClusterFaultLog,
  frozenMs: number,
): Promise<void> {
  const leader = await cluster.leaderOf(STREAM);
  await record(log, `SIGSTOP ${leader.name} (DELIVERIES leader)`, async () => {
    const at = Date.now();
    leader.pause();
    const elected = await election(cluster, leader, at);
    return async () => {
      await sleep(Math.max(0, at + frozenMs - Date.now()));
      leader.resume();
      await leader.healthy({ scope: "server", timeoutMs: 60_000 });
      const back = Date.now() - at;
      return `${elected}; SIGCONT after ${frozenMs} ms, healthy ${back} ms after the stop`;
    };
  });
}

/**
 * The DELIVERIES leader cut off from the two other nodes for `cutMs` (clients still
 * reach it), then healed.
 */
export async function partitionStreamLeader(
  cluster: TestNatsCluster,
  log: ClusterFaultLog,
  cutMs: number,
): Promise<void> {
  const leader = await cluster.leaderOf(STREAM);
  await record(log, `${leader.name} (DELIVERIES leader) cut off`, async () => {
    const at = Date.now();
    cluster.partition(leader);
    const elected = await election(cluster, leader, at);
    return async () => {
      await sleep(Math.max(0, at + cutMs - Date.now()));
      cluster.heal(leader);
      const healed = Date.now();
      await leader.healthy({ scope: "server", timeoutMs: 60_000 });
      await untilCurrentMember(cluster.servers, STREAM, leader.name);
      return (
        `${elected}; healed after ${healed - at} ms, a current member of ` +
        `DELIVERIES again ${Date.now() - healed} ms after the heal`
      );
    };
  });
}

/**
 * Every node in turn: a clean stop (SIGTERM), started again, and waited for until it is
 * back (healthy, and a current member of the DELIVERIES group) before the next one, as
 * an operator upgrading the cluster would. One record per node.
 */
export async function rollingRestart(
  cluster: TestNatsCluster,
  log: ClusterFaultLog,
): Promise<void> {
  for (const node of cluster.nodes) {
    const leader = await cluster.leaderOf(STREAM);
    const role = node === leader ? "leader" : "follower";
    await record(log, `rolling restart: ${node.name} (DELIVERIES ${role})`, async () => {
      const at = Date.now();
      await node.stop();
      const stopped = Date.now() - at;
      const elected = node === leader ? `; ${await election(cluster, node, at)}` : "";
      return async () => {
        await node.restart();
        await untilCurrentMember(cluster.servers, STREAM, node.name);
        return `stopped in ${stopped} ms${elected}; back and current ${Date.now() - at} ms after the stop`;
      };
    });
  }
}
