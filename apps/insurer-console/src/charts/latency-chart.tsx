import type { LatencyBucket } from "@claimwire/contracts";
import { useCallback, useMemo } from "react";
import uPlot from "uplot";
import { latencyLabel, latencySummary } from "./chart-data.ts";
import { ChartFigure } from "./chart-figure.tsx";
import { themeColor, themedAxis } from "./uplot-chart.tsx";

/**
 * How long attempts took: a histogram (one bar per duration bucket, labelled with its
 * bounds), a sentence naming the commonest bucket, and the counts as a table.
 */
export function LatencyChart({ title, latency }: { title: string; latency: LatencyBucket[] }) {
  const data = useMemo<uPlot.AlignedData>(
    () => [latency.map((_, i) => i), latency.map((b) => b.attempts)],
    [latency],
  );
  // The bucket bounds are fixed by the API: the options change only if they do.
  const labels = latency.map(latencyLabel).join("|");
  const options = useCallback(
    (width: number, height: number): uPlot.Options => {
      const names = labels.split("|");
      const accent = themeColor("--accent", "#1d5fd1");
      return {
        width,
        height,
        legend: { show: false },
        cursor: { show: false },
        scales: {
          x: { time: false, range: [-0.5, names.length - 0.5] },
          y: { range: (_u, _min, max) => [0, Math.max(1, max)] },
        },
        axes: [
          themedAxis({
            splits: () => names.map((_, i) => i),
            values: (_u, splits) => splits.map((i) => names[i] ?? ""),
            rotate: width < 560 ? -45 : 0,
            size: width < 560 ? 70 : 40,
            grid: { show: false },
          }),
          themedAxis({ label: "Attempts", size: 50 }),
        ],
        series: [
          {},
          {
            label: "Attempts",
            stroke: accent,
            fill: accent,
            paths: uPlot.paths.bars?.({ size: [0.8, 64] }),
            points: { show: false },
          },
        ],
      };
    },
    [labels],
  );
  const summary = latencySummary(latency);
  return (
    <ChartFigure
      title={title}
      summary={summary}
      options={options}
      data={data}
      table={
        <div className="table-wrap">
          <table className="cards-on-phone">
            <caption>{title}</caption>
            <thead>
              <tr>
                <th scope="col">Took</th>
                <th scope="col">Attempts</th>
              </tr>
            </thead>
            <tbody>
              {latency.map((bucket) => (
                <tr key={bucket.minMs}>
                  <th scope="row">{latencyLabel(bucket)}</th>
                  <td data-label="Attempts" className="number">
                    {bucket.attempts}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      }
    />
  );
}
