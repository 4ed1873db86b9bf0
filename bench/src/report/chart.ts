import { Resvg } from "@resvg/resvg-js";
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import type { BenchResults } from "../results.ts";

type Row = Record<string, string | number>;

function bars(title: string, rows: Row[], x: string, y: string, color?: string, logScale = false) {
  return {
    title,
    width: 300,
    height: 180,
    data: { values: rows },
    mark: { type: "bar", tooltip: true },
    encoding: {
      x: { field: x, type: "nominal", sort: null, axis: { labelAngle: -30, title: null } },
      y: {
        field: y,
        type: "quantitative",
        ...(logScale ? { scale: { type: "log", domainMin: 1 }, title: `${y} (log scale)` } : {}),
      },
      // A bar on a log scale starts at 1, not 0.
      ...(logScale ? { y2: { datum: 1 } } : {}),
      ...(color
        ? {
            xOffset: { field: color, sort: null },
            color: { field: color, type: "nominal", sort: null },
          }
        : {}),
    },
  };
}

/** One figure with a panel per item: vega-lite → vega → SVG, and a PNG of it by resvg. */
export async function renderChart(r: BenchResults): Promise<{ svg: string; png: Buffer }> {
  const panels: object[] = [];
  if (r.throughput) {
    const t = r.throughput;
    panels.push(
      bars(
        "Throughput, events/s",
        [
          { what: "raw POSTs, bare 204", "events/s": t.bare204PerSec },
          { what: "raw POSTs, verify only", "events/s": t.verifyOnlyPerSec },
          { what: "raw POSTs, clinic (limit)", "events/s": t.physicalLimitPerSec },
          { what: "end to end", "events/s": t.endToEndPerSec },
          { what: "mutations, no delivery", "events/s": t.insurerMutationsOnlyPerSec },
        ],
        "what",
        "events/s",
      ),
    );
  }
  if (r.latency.length > 0) {
    panels.push(
      bars(
        "Commit → 2xx, ms",
        r.latency.flatMap((l) =>
          (["p50", "p95", "p99"] as const).map((p) => ({
            load: `${l.shareOfMax * 100}% of max`,
            percentile: p,
            ms: l.commitTo2xxMs[p],
          })),
        ),
        "load",
        "ms",
        "percentile",
      ),
    );
  }
  if (r.watchers) {
    panels.push(
      bars(
        "Requests over 20 business days, projected",
        r.watchers.watchers.map((w) => ({
          watcher: w.watcher,
          requests: Math.max(1, w.projectedRequests),
        })),
        "watcher",
        "requests",
        undefined,
        true,
      ),
    );
    panels.push(
      bars(
        "Staleness p99, ms",
        r.watchers.watchers.map((w) => ({
          watcher: w.watcher,
          "p99 ms": Math.max(1, w.stalenessP99Ms),
        })),
        "watcher",
        "p99 ms",
        undefined,
        true,
      ),
    );
  }
  const mem = r.memory;
  const memRows: Row[] = [];
  const series: [string, Record<string, number> | undefined][] = [
    ["idle", mem.idleMb],
    ["steady", mem.steadyMb],
    ["backlog queued", mem.backlog?.rssWhileQueuedMb],
    ["backlog draining", mem.backlog?.rssWhileDrainingMb],
  ];
  for (const [state, table] of series) {
    for (const [process, mb] of Object.entries(table ?? {})) {
      if (Number.isFinite(mb)) memRows.push({ process, state, MB: mb });
    }
  }
  if (memRows.length > 0) panels.push(bars("RSS, MB", memRows, "process", "MB", "state"));

  const rowsOf = (items: object[], size: number) =>
    Array.from({ length: Math.ceil(items.length / size) }, (_, i) => ({
      hconcat: items.slice(i * size, i * size + size),
    }));
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: `claimwire benchmark, ${r.startedAt.slice(0, 16)} UTC, ${r.machine.cpus} CPUs`,
    background: "white",
    padding: 12,
    vconcat: rowsOf(panels, 2),
    // Each panel its own colours and legend (percentiles are not memory states).
    resolve: { scale: { color: "independent" }, legend: { color: "independent" } },
  } as unknown as TopLevelSpec;
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: "none" });
  const svg = await view.toSVG();
  view.finalize();
  const png = new Resvg(svg, { background: "white", fitTo: { mode: "width", value: 1400 } })
    .render()
    .asPng();
  return { svg, png };
}
