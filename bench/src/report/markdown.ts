import type { BenchResults } from "../results.ts";

const ms = (v: number) => (Number.isFinite(v) ? `${v} ms` : "–");
const goal = (met: boolean) => (met ? "met" : "**missed**");

/** The run's figures as Markdown tables, with each goal and whether it was met. */
export function renderMarkdown(r: BenchResults): string {
  const out: string[] = [];
  const m = r.machine;
  out.push(`# Benchmark run ${r.startedAt}`);
  out.push("");
  out.push(
    `Command: \`${r.command}\` (from the repository root); ${r.startedAt} → ${r.finishedAt}.`,
  );
  out.push(
    `Machine: ${m.cpus} CPUs (${m.cpuModel}), ${m.ramGb} GB RAM, Linux ${m.kernel}, Node ${m.node}, ${m.natsServer}; load average ${m.loadAverageAtStart} at start.`,
  );
  out.push("");
  const t = r.throughput;
  if (t) {
    out.push("## Throughput");
    out.push("");
    out.push("| measurement | events/s |");
    out.push("| --- | ---: |");
    out.push(
      `| physical limit: signed POSTs straight to the clinic receiver (undici) | ${t.physicalLimitPerSec} |`,
    );
    out.push(
      `| second limit: the same POSTs to a bare receiver that only verifies, then 204 | ${t.verifyOnlyPerSec} |`,
    );
    out.push(
      `| third limit: the same POSTs to a bare node:http server answering 204 unverified | ${t.bare204PerSec} |`,
    );
    out.push(
      `| end to end: status change committed through the insurer API → clinic 2xx | ${t.endToEndPerSec} |`,
    );
    out.push(
      `| insurer mutations alone (delivery off: a clinic without endpoints) | ${t.insurerMutationsOnlyPerSec} |`,
    );
    out.push(
      `| end to end / physical limit (goal ≥ 0.4) | ${t.endToEndOverPhysical} (${goal(t.endToEndOverPhysical >= 0.4)}) |`,
    );
    out.push(`| end to end / verify-only receiver | ${t.endToEndOverVerifyOnly} |`);
    out.push(`| end to end / bare 204 server | ${t.endToEndOverBare204} |`);
    out.push(`| end to end / insurer mutations alone | ${t.endToEndOverMutationsOnly} |`);
    out.push("");
    out.push(
      `Median of ${t.rounds.length} alternating round(s): ${t.rounds.map((x) => `${x.physicalPerSec} / ${x.verifyOnlyPerSec} / ${x.bare204PerSec} / ${x.endToEndPerSec} / ${x.mutationsOnlyPerSec}`).join("; ")} (raw to the clinic / verify only / bare 204 / end to end / mutations); ${t.settings.physicalPosts} raw POSTs, ${t.settings.endToEndEvents} events, ${t.settings.concurrency} in flight.`,
    );
    out.push("");
    out.push(
      "CPU ms per event, by process (what bounds each rate: this machine has " +
        `${r.machine.cpus} cores = ${r.machine.cpus * 1000} CPU-ms a second):`,
    );
    out.push("");
    const phases = [
      ["raw POSTs to the clinic", t.cpuMsPerEvent.physical],
      ["raw POSTs, verify only", t.cpuMsPerEvent.verifyOnly],
      ["raw POSTs, bare 204", t.cpuMsPerEvent.bare204],
      ["end to end", t.cpuMsPerEvent.endToEnd],
      ["mutations only", t.cpuMsPerEvent.mutationsOnly],
    ] as const;
    const procs = Object.keys(t.cpuMsPerEvent.endToEnd);
    out.push(`| phase | ${procs.join(" | ")} |`);
    out.push(`| --- |${procs.map(() => " ---: |").join("")}`);
    for (const [name, table] of phases) {
      out.push(`| ${name} | ${procs.map((p) => table[p] ?? "–").join(" | ")} |`);
    }
    out.push("");
  }
  if (r.latency.length > 0) {
    out.push("## Latency commit → receiver 2xx");
    out.push("");
    out.push("| load | rate | p50 | p95 | p99 | max | goal (at 10%: p50 ≤ 5 ms, p99 ≤ 25 ms) |");
    out.push("| --- | ---: | ---: | ---: | ---: | ---: | --- |");
    for (const l of r.latency) {
      const g =
        l.shareOfMax === 0.1
          ? `p50 ${goal(l.commitTo2xxMs.p50 <= 5)}, p99 ${goal(l.commitTo2xxMs.p99 <= 25)}`
          : "";
      out.push(
        `| ${l.shareOfMax * 100}% of max | ${l.ratePerSec}/s | ${ms(l.commitTo2xxMs.p50)} | ${ms(l.commitTo2xxMs.p95)} | ${ms(l.commitTo2xxMs.p99)} | ${ms(l.commitTo2xxMs.max)} | ${g} |`,
      );
    }
    out.push("");
    out.push(
      "Where the time goes (p50 / p99 of each stage, from the timestamps both sides record):",
    );
    out.push("");
    out.push(
      "| load | commit → dispatched | dispatched → worker starts POST | POST → clinic stored |",
    );
    out.push("| --- | ---: | ---: | ---: |");
    for (const l of r.latency) {
      const s = l.stages;
      const c = (x: { p50: number; p99: number }) => `${x.p50} / ${x.p99} ms`;
      out.push(
        `| ${l.shareOfMax * 100}% | ${c(s.commitToDispatched)} | ${c(s.dispatchedToPostStarted)} | ${c(s.postStartedTo2xx)} |`,
      );
    }
    out.push("");
  }
  if (r.burst) {
    const b = r.burst;
    const s = b.stages;
    const c = (x: { p50: number; p99: number }) => `${x.p50} / ${x.p99} ms`;
    out.push(
      `A burst of ${b.events} submits at once (committed within ${b.commitSpanMs} ms): commit → 2xx p50 ${ms(b.commitTo2xxMs.p50)}, p95 ${ms(b.commitTo2xxMs.p95)}, p99 ${ms(b.commitTo2xxMs.p99)}, max ${ms(b.commitTo2xxMs.max)}; stages (p50 / p99): commit → dispatched ${c(s.commitToDispatched)}, → POST started ${c(s.dispatchedToPostStarted)}, → stored ${c(s.postStartedTo2xx)}.`,
    );
    out.push("");
  }
  const w = r.watchers;
  if (w) {
    out.push("## Polling vs long polling vs webhooks");
    out.push("");
    out.push(
      `${w.clinics} clinics × ${w.claimsPerClinic} claims reach review spread over ${w.windowMs / 2000} s and are decided after review times of milliseconds to 20 business days, compressed ${w.timeScale}× (20 business days = ${w.windowMs / 1000} s): ${w.events} status changes. Staleness = insurer commit → the watcher has the event. "Projected" counts requests for the same population over the real 20 business days (polls: clinics × span / interval; long polls: one per event plus one per 25 s hold; webhooks: POSTs per event as measured).`,
    );
    out.push("");
    out.push(
      "| watcher | requests (run) | empty (run) | staleness p50 | staleness p99 | seen | requests (projected, 20 business days) | empty (projected) |",
    );
    out.push("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (const x of w.watchers) {
      out.push(
        `| ${x.watcher} | ${x.requests} | ${(x.emptyShare * 100).toFixed(1)}% | ${ms(x.stalenessP50Ms)} | ${ms(x.stalenessP99Ms)} | ${x.seen}/${w.events} | ${x.projectedRequests.toLocaleString("en")} | ${(x.projectedEmptyShare * 100).toFixed(2)}% |`,
      );
    }
    const webhooks = w.watchers.find((x) => x.watcher === "webhooks");
    out.push("");
    out.push(
      `Polling every 10 s makes ${w.poll10sOverWebhooks}× the requests of webhooks (goal ≥ 100×: ${goal(w.poll10sOverWebhooks >= 100)}); webhook staleness p99 ${ms(webhooks?.stalenessP99Ms ?? Number.NaN)} (goal ≤ 50 ms: ${goal((webhooks?.stalenessP99Ms ?? Infinity) <= 50)}).`,
    );
    out.push("");
  }
  if (r.fanOut || r.drain) {
    out.push("## Fan-out and drain");
    out.push("");
  }
  if (r.fanOut) {
    const f = r.fanOut;
    out.push(
      `One event to ${f.endpoints} endpoints: first 2xx ${ms(f.firstMs)}, p50 ${ms(f.p50Ms)}, p99 ${ms(f.p99Ms)}, last ${ms(f.lastMs)} after the commit (${f.deliveriesPerSec} deliveries/s).`,
    );
    out.push("");
  }
  if (r.drain) {
    const d = r.drain;
    const workerDrain = r.memory.backlog?.drainPerSec;
    const vsWorker = workerDrain
      ? ` and ${Math.round((d.drainPerSec / workerDrain) * 100) / 100} of the rate a worker drains tasks already queued on DELIVERIES to the same kind of receiver (${workerDrain}/s)`
      : "";
    out.push(
      `Drain after an outage: ${d.backlog} events delivered at ${d.drainPerSec}/s = ${d.drainOverMax} of the end-to-end maximum (goal ≥ 0.8: ${goal(d.drainOverMax >= 0.8)})${vsWorker}. The other clinic at ${d.otherRatePerSec}/s: p50 ${ms(d.otherP50BeforeMs)} → ${ms(d.otherP50DuringMs)}, p99 ${ms(d.otherP99BeforeMs)} before → ${ms(d.otherP99DuringMs)} during the drain = ${d.otherP99Ratio}× (goal ≤ 2×: ${goal(d.otherP99Ratio <= 2)}).`,
    );
    out.push("");
  }
  renderScaleOut(r, out);
  renderStores(r, out);
  const mem = r.memory;
  out.push("## Memory, RSS in MB");
  out.push("");
  const b = mem.backlog;
  const names = Object.keys(mem.idleMb);
  out.push(
    `| process | idle | steady (50% of max) | ${b ? `${b.backlog.toLocaleString("en")} tasks queued, no worker | draining` : ""} |`,
  );
  out.push(`| --- | ---: | ---: |${b ? " ---: | ---: |" : ""}`);
  for (const name of names) {
    const cell = (v: number | undefined) => (v === undefined ? "–" : String(v));
    out.push(
      `| ${name} | ${cell(mem.idleMb[name])} | ${cell(mem.steadyMb[name])} | ${b ? `${cell(b.rssWhileQueuedMb[name])} | ${cell(b.rssWhileDrainingMb[name])} |` : ""}`,
    );
  }
  out.push("");
  if (mem.bareUnderLoadMb !== null) {
    out.push(
      `The bare Node HTTP server peaked at ${mem.bareUnderLoadMb} MB answering the same number of POSTs as the raw phase.`,
    );
  }
  if (b) {
    out.push(
      `Backlog: ${b.queuedTasks.toLocaleString("en")} tasks waited in DELIVERIES (built at ${b.buildPerSec} events/s); a fresh worker drained them at ${b.drainPerSec}/s.`,
    );
    const h = b.handouts;
    out.push(
      "",
      `Handouts by the delivery consumer while it drained: **${h.perTask} per task** (goal ≤ 2; ${h.deliveries.toLocaleString("en")} deliveries of ${h.tasks.toLocaleString("en")} tasks); at most ${h.maxRedelivered} redelivered, ${h.maxAckPending} awaiting ack (limit ${h.maxAckPendingLimit}), ${h.maxWaiting} pulls waiting; ack_wait ${h.ackWaitMs} ms.`,
    );
  }
  out.push("");
  return `${out.join("\n")}\n`;
}

const cell = (v: number | undefined) => (v === undefined ? "–" : String(v));

/** Workers scale out, end to end on a cluster, failover: the multi-process and cluster phases. */
function renderScaleOut(r: BenchResults, out: string[]): void {
  const cores = `${r.machine.cpus} cores = ${r.machine.cpus}.0 cores busy at most`;
  const w = r.workersScale;
  if (w) {
    out.push("## Workers scale out");
    out.push("");
    out.push(
      `One clinic, ${w.endpoints} endpoints on ${w.receivers} bare Node receiver processes that answer 204 after ${w.receiverDelayMs} ms; ${w.eventsPerRun} events submitted per run (${w.eventsPerRun * w.endpoints} deliveries), rate from the first submit (64 at once) to the last arrival. The insurer's windows allow ${w.windowTotal} deliveries in flight; each worker handles up to 256 at once. Cores busy per process over that span (${cores}); "recorded/s": reports the insurer recorded, from the first submit until the last was recorded:`,
    );
    out.push("");
    const procs = [...new Set(w.runs.flatMap((x) => Object.keys(x.cores)))];
    out.push(`| workers | deliveries/s | × one worker | recorded/s | ${procs.join(" | ")} |`);
    out.push(`| ---: | ---: | ---: | ---: |${procs.map(() => " ---: |").join("")}`);
    for (const x of w.runs) {
      out.push(
        `| ${x.workers} | ${x.deliveriesPerSec} | ${x.overOneWorker} | ${x.recordedPerSec} | ${procs.map((p) => cell(x.cores[p])).join(" | ")} |`,
      );
    }
    const two = w.runs.find((x) => x.workers === 2);
    if (two) {
      out.push("");
      out.push(
        `2 workers / 1 worker = ${two.overOneWorker} (goal ≥ 1.6: ${goal(two.overOneWorker >= 1.6)}).`,
      );
    }
    out.push("");
  }
  const c = r.clusterEndToEnd;
  if (c) {
    out.push("## End to end on a three-node cluster (replicas 3) and on one nats-server");
    out.push("");
    out.push(
      `The end-to-end phase (${c.events} claims submitted, ${c.concurrency} in flight, until the clinic stored every webhook) on two fresh systems, median of ${c.rounds.length} alternating round(s): ${c.rounds.map((x) => `${x.singlePerSec} / ${x.clusterPerSec}`).join("; ")} (one node / cluster).`,
    );
    out.push("");
    out.push("| NATS | events/s | cores busy |");
    out.push("| --- | ---: | ---: |");
    out.push(`| one nats-server | ${c.singlePerSec} | ${c.cores.single} |`);
    out.push(`| three nodes, NATS_REPLICAS=3 | ${c.clusterPerSec} | ${c.cores.cluster} |`);
    out.push(
      `| cluster / one node (goal ≥ 0.6) | ${c.clusterOverSingle} (${goal(c.clusterOverSingle >= 0.6)}) | |`,
    );
    out.push("");
    out.push(`CPU ms per event, by process (last round; ${cores}):`);
    out.push("");
    const procs = [
      ...new Set([...Object.keys(c.cpuMsPerEvent.single), ...Object.keys(c.cpuMsPerEvent.cluster)]),
    ].filter((p) => p !== "total");
    procs.push("total");
    out.push(`| NATS | ${procs.join(" | ")} |`);
    out.push(`| --- |${procs.map(() => " ---: |").join("")}`);
    out.push(`| one node | ${procs.map((p) => cell(c.cpuMsPerEvent.single[p])).join(" | ")} |`);
    out.push(`| cluster | ${procs.map((p) => cell(c.cpuMsPerEvent.cluster[p])).join(" | ")} |`);
    out.push("");
  }
  const f = r.failover;
  if (f) {
    out.push("## Failover of the DELIVERIES stream's leader");
    out.push("");
    out.push(
      `Three nodes, replicas 3, ${f.ratePerSec} claims/s submitted steadily to a clinic with one endpoint; the node leading DELIVERIES killed with SIGKILL, restarted after recovery, ${f.repetitions.length} time(s); each kill once arrivals were steady at that rate for 3 s. ${f.failedSubmits} submits failed; ${f.lost} events never arrived.`,
    );
    out.push("");
    out.push("| | min | median | max |");
    out.push("| --- | ---: | ---: | ---: |");
    const row = (name: string, x: { min: number; median: number; max: number }) =>
      out.push(`| ${name} | ${ms(x.min)} | ${ms(x.median)} | ${ms(x.max)} |`);
    row("kill → first delivery of an event committed after the kill", f.firstDeliveryMs);
    row("longest pause between arrivals", f.longestGapMs);
    row("kill → arrivals back to 90% of the rate before (1 s windows)", f.backToRateMs);
    row(
      "killed node rejoined (its copy current) → arrivals steady at the offered rate for 3 s",
      f.flowingAfterRestartMs,
    );
    out.push("");
    out.push(
      `Each: ${f.repetitions.map((x) => `${x.node} ${ms(x.firstDeliveryMs)} / ${ms(x.longestGapMs)} / ${ms(x.backToRateMs)} / ${ms(x.flowingAfterRestartMs)} (before: ${x.rateBeforePerSec}/s)`).join("; ")}.`,
    );
    out.push("");
  }
}

/** One insurer on SQLite, one on PostgreSQL, two on PostgreSQL, and the takeover after a kill. */
function renderStores(r: BenchResults, out: string[]): void {
  const s = r.stores;
  if (!s) return;
  out.push("## The insurer on SQLite and on PostgreSQL, one process and two");
  out.push("");
  out.push(
    `Three fresh systems alike but for the insurer's store: one insurer on a SQLite file, one on PostgreSQL (the machine's server, a database of its own), two on one PostgreSQL behind a round-robin balancer. Each round: ${s.events} claims submitted (${s.concurrency} at once) until a receiver had every webhook (end to end), then ${s.events} claims of a clinic without endpoints (the API and the store alone). Median of ${s.systems.sqlite.rounds.length} alternating round(s).`,
  );
  out.push("");
  out.push(
    "| insurer | end to end, events/s | mutations only, claims/s | CPU ms per event end to end (insurers + postgres) |",
  );
  out.push("| --- | ---: | ---: | ---: |");
  for (const [name, x] of Object.entries(s.systems)) {
    const own = Object.entries(x.cpuMsPerEvent.endToEnd)
      .filter(([p]) => p.startsWith("insurer") || p === "postgres")
      .reduce((sum, [, v]) => sum + v, 0);
    out.push(
      `| ${name} | ${x.endToEndPerSec} | ${x.mutationsOnlyPerSec} | ${Math.round(own * 100) / 100} |`,
    );
  }
  out.push("");
  out.push("CPU ms per event, by process (last round, end to end):");
  out.push("");
  const procs = [
    ...new Set(Object.values(s.systems).flatMap((x) => Object.keys(x.cpuMsPerEvent.endToEnd))),
  ].filter((p) => p !== "total");
  procs.push("total");
  out.push(`| insurer | ${procs.join(" | ")} |`);
  out.push(`| --- |${procs.map(() => " ---: |").join("")}`);
  for (const [name, x] of Object.entries(s.systems)) {
    out.push(`| ${name} | ${procs.map((p) => cell(x.cpuMsPerEvent.endToEnd[p])).join(" | ")} |`);
  }
  out.push("");
  const t = s.takeover;
  out.push("### Takeover after a kill -9 of the dispatching insurer");
  out.push("");
  out.push(
    `Two insurers on PostgreSQL, ${t.ratePerSec} claims/s submitted steadily through the balancer to a clinic with one endpoint; the insurer holding the dispatcher lease killed with SIGKILL and started again, ${t.repetitions.length} time(s). ${t.failedSubmits} submits failed (in the killed process's hands); ${t.lost} events never arrived.`,
  );
  out.push("");
  out.push("| | min | median | max |");
  out.push("| --- | ---: | ---: | ---: |");
  out.push(
    `| kill → the other process holds the dispatcher lease | ${ms(t.leaseMs.min)} | ${ms(t.leaseMs.median)} | ${ms(t.leaseMs.max)} |`,
  );
  out.push(
    `| kill → first delivery of an event committed after the kill | ${ms(t.firstDeliveryMs.min)} | ${ms(t.firstDeliveryMs.median)} | ${ms(t.firstDeliveryMs.max)} |`,
  );
  out.push("");
  out.push(
    `Longest pause between arrivals, each: ${t.repetitions.map((x) => ms(x.longestGapMs)).join(", ")}.`,
  );
  out.push("");
}
