import type { Machine } from "./report/machine.ts";
import type { ClusterEndToEndResult } from "./scenarios/cluster-end-to-end.ts";
import type { DrainResult } from "./scenarios/drain.ts";
import type { FailoverResult } from "./scenarios/failover.ts";
import type { FanOutResult } from "./scenarios/fan-out.ts";
import type { BurstResult, LatencyAtRate } from "./scenarios/latency.ts";
import type { BacklogResult, RssTable } from "./scenarios/memory.ts";
import type { StoresResult } from "./scenarios/stores.ts";
import type { ThroughputResult } from "./scenarios/throughput.ts";
import type { WatchersResult } from "./scenarios/watchers.ts";
import type { WorkersScaleResult } from "./scenarios/workers-scale.ts";

/** Everything one `pnpm bench` run measured: written as results.json. */
export type BenchResults = {
  command: string;
  startedAt: string;
  finishedAt: string;
  machine: Machine;
  sizes: Record<string, number | number[]>;
  throughput: ThroughputResult | null;
  latency: LatencyAtRate[];
  burst: BurstResult | null;
  fanOut: FanOutResult | null;
  drain: DrainResult | null;
  watchers: WatchersResult | null;
  /** Deliveries/s with 1, 2 and 4 worker processes against 50 ms receivers. */
  workersScale: WorkersScaleResult | null;
  /** End to end on one nats-server and on a three-node cluster with replicas 3. */
  clusterEndToEnd: ClusterEndToEndResult | null;
  /** The DELIVERIES stream's leader killed under load on the cluster. */
  failover: FailoverResult | null;
  /** One insurer on SQLite, one on PostgreSQL, two on PostgreSQL; the dispatching one killed. */
  stores: StoresResult | null;
  memory: {
    /** RSS (MB) of each process right after start-up. */
    idleMb: RssTable;
    /** Peak RSS (MB) during the 50%-of-max latency run. */
    steadyMb: RssTable;
    /** Peak RSS (MB) of the bare Node server answering as many POSTs as the raw phase. */
    bareUnderLoadMb: number | null;
    backlog: BacklogResult | null;
  };
};
