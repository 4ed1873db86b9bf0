import { waitFor } from "@claimwire/testing";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { openQueue, type Queue } from "./connection.ts";
import { consumeMessages } from "./consume.ts";
import { startNatsCluster, type TestNatsCluster } from "./testing/nats-cluster.ts";
import { startNatsServer } from "./testing/nats-server.ts";
import { CONSUMERS, ENDPOINTS_BUCKET, STREAMS, subjects } from "./topology.ts";

const everyStream = [STREAMS.deliveries, STREAMS.attempts, `KV_${ENDPOINTS_BUCKET}`];
const everyConsumer = [
  [STREAMS.deliveries, CONSUMERS.deliveryWorkers],
  [STREAMS.attempts, CONSUMERS.attemptRecorder],
] as const;

let cluster: TestNatsCluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

/** The names of the nodes that hold `stream`, once its group has a leader. */
async function peersOf(queue: Queue, stream: string, consumer?: string): Promise<string[]> {
  const info = consumer
    ? await queue.jsm.consumers.info(stream, consumer)
    : await queue.jsm.streams.info(stream);
  if (!info.cluster?.leader) return [];
  return [info.cluster.leader, ...(info.cluster.replicas ?? []).map((r) => r.name)].sort();
}

describe("topology on a three-node cluster", () => {
  it("with NATS_REPLICAS=3 keeps every stream, consumer and the bucket on all three nodes", async () => {
    cluster = await startNatsCluster({ size: 3 });
    const queue = await openQueue({
      servers: cluster.servers,
      name: "replicas-3",
      topology: { replicas: 3 },
    });
    // Applying it again (every process does at start) changes nothing and fails nothing.
    const again = await openQueue({
      servers: cluster.url,
      name: "replicas-3-again",
      topology: { replicas: 3 },
    });
    const everyNode = cluster.nodes.map((n) => n.name).sort();
    for (const stream of everyStream) {
      expect((await queue.jsm.streams.info(stream)).config.num_replicas, stream).toBe(3);
      await expect.poll(() => peersOf(queue, stream), { timeout: 20_000 }).toEqual(everyNode);
    }
    for (const [stream, consumer] of everyConsumer) {
      await expect
        .poll(() => peersOf(again, stream, consumer), { timeout: 20_000 })
        .toEqual(everyNode);
    }
    await queue.close();
    await again.close();
  }, 60_000);

  it("scales a topology made with one copy to three in place", async () => {
    cluster = await startNatsCluster({ size: 3 });
    const single = await openQueue({ servers: cluster.servers, name: "replicas-1" });
    for (const stream of everyStream) {
      expect((await single.jsm.streams.info(stream)).config.num_replicas, stream).toBe(1);
      expect(await peersOf(single, stream), stream).toHaveLength(1);
    }
    await single.close();
    const scaled = await openQueue({
      servers: cluster.servers,
      name: "scaled",
      topology: { replicas: 3 },
    });
    const everyNode = cluster.nodes.map((n) => n.name).sort();
    for (const stream of everyStream) {
      expect((await scaled.jsm.streams.info(stream)).config.num_replicas, stream).toBe(3);
      // The scaled group elects its leader anew: one node leads, the two others follow.
      await expect.poll(() => peersOf(scaled, stream), { timeout: 20_000 }).toEqual(everyNode);
    }
    await scaled.close();
  }, 60_000);

  it("a process that starts before the cluster has formed waits for it instead of failing", async () => {
    cluster = await startNatsCluster({ size: 3 });
    const [first, second, third] = cluster.nodes;
    await Promise.all([second?.kill(), third?.kill()]);
    let opened = false;
    const opening = openQueue({
      servers: cluster.servers,
      name: "early",
      topology: { replicas: 3 },
    }).then((queue) => {
      opened = true;
      return queue;
    });
    // One node alone has no meta leader, two cannot hold three copies.
    await second?.restart();
    expect(opened).toBe(false);
    await third?.restart();
    const queue = await opening;
    expect((await queue.jsm.streams.info(STREAMS.deliveries)).config.num_replicas).toBe(3);
    expect(first?.running()).toBe(true);
    await queue.close();
  }, 90_000);

  it("a client given every server moves to another when its node is killed", async () => {
    cluster = await startNatsCluster({ size: 3 });
    const queue = await openQueue({
      servers: cluster.servers,
      name: "failover",
      topology: { replicas: 3 },
    });
    const before = queue.nc.info?.server_name;
    const node = cluster.nodes.find((n) => n.name === before);
    expect(node).toBeDefined();
    await node?.kill();
    // A request written to the dead node's socket is lost and times out (5 s); the next
    // goes through another node.
    await expect
      .poll(async () => (await queue.jsm.streams.info(STREAMS.deliveries)).config.name, {
        timeout: 30_000,
        interval: 250,
      })
      .toBe(STREAMS.deliveries);
    expect(queue.nc.info?.server_name).not.toBe(before);
    await node?.restart();
    await queue.close();
  }, 90_000);
});

describe("a consumer when its consumer's leader dies", () => {
  it("takes new messages from the next leader without waiting out a lost pull request", async () => {
    cluster = await startNatsCluster({ size: 3 });
    const setup = await openQueue({
      servers: cluster.servers,
      name: "leader-loss-setup",
      topology: { replicas: 3 },
    });
    const leaderName = (
      await waitFor(
        "a leader of the delivery consumer",
        async () =>
          (
            await setup.jsm.consumers.info(STREAMS.deliveries, CONSUMERS.deliveryWorkers)
          ).cluster?.leader,
      )
    ).toString();
    await setup.close();
    const leader = cluster.nodes.find((n) => n.name === leaderName);
    const follower = cluster.nodes.find((n) => n !== leader);
    if (!leader || !follower) throw new Error(`no node named ${leaderName}`);
    // Connected to a follower: killing the leader breaks no connection of ours, so only
    // the pull request that waits at the leader is lost (a reconnect would pull anew).
    const queue = await openQueue({
      servers: [follower.url],
      name: "leader-loss",
      topology: { replicas: 3 },
    });
    const handled: string[] = [];
    const abort = new AbortController();
    const consuming = consumeMessages({
      js: queue.js,
      stream: STREAMS.deliveries,
      consumer: CONSUMERS.deliveryWorkers,
      schema: z.object({ deliveryId: z.string() }).passthrough(),
      handle: async (task, msg) => {
        handled.push(task.deliveryId);
        msg.ack();
      },
      signal: abort.signal,
    });
    // Only the consumer is under test: a stand-in task, not one a worker could send.
    const publish = (deliveryId: string) =>
      queue.js.publish(subjects.delivery("ep_test"), JSON.stringify({ deliveryId }));
    try {
      await publish("before");
      await waitFor("the first task handled", () => handled.includes("before"));
      await leader.kill();
      await waitFor("a new leader of the delivery consumer", async () => {
        const info = await queue.jsm.consumers.info(STREAMS.deliveries, CONSUMERS.deliveryWorkers);
        return info.cluster?.leader && info.cluster.leader !== leaderName;
      });
      await waitFor(
        "a task published after the election handled",
        async () => {
          if (!handled.includes("after")) {
            await publish("after").catch(() => {});
          }
          return handled.includes("after");
        },
        // nats.js's default pull (30 s, heartbeats every 15 s) would still be waiting.
        { timeoutMs: 20_000, intervalMs: 1_000 },
      );
    } finally {
      abort.abort();
      await consuming;
      await queue.close();
    }
  }, 120_000);
});

describe("a node cut off from the others (hosts in network namespaces)", () => {
  it("loses the stream's leadership to the two that still see each other, and rejoins when healed", async () => {
    cluster = await startNatsCluster({ size: 3, network: "namespaces" });
    const queue = await openQueue({
      servers: cluster.servers,
      name: "partition",
      topology: { replicas: 3 },
    });
    const leader = await cluster.leaderOf(STREAMS.deliveries);
    cluster.partition(leader);
    try {
      await expect
        .poll(async () => (await cluster?.leaderOf(STREAMS.deliveries))?.name, {
          timeout: 30_000,
          interval: 500,
        })
        .not.toBe(leader.name);
    } finally {
      cluster.heal(leader);
    }
    await leader.healthy({ scope: "server" });
    const everyNode = cluster.nodes.map((n) => n.name).sort();
    await expect
      .poll(() => peersOf(queue, STREAMS.deliveries), { timeout: 30_000 })
      .toEqual(everyNode);
    await queue.close();
  }, 120_000);
});

describe("replicas on one server", () => {
  it("are refused with an error that says a cluster is needed", async () => {
    const nats = await startNatsServer();
    try {
      await expect(
        openQueue({ servers: nats.url, name: "too-many", topology: { replicas: 3 } }),
      ).rejects.toThrow(/NATS_REPLICAS=3 needs a JetStream cluster of at least 3 nodes/);
    } finally {
      await nats.stop();
    }
  }, 30_000);
});
