import type { OutcomeBucket } from "@claimwire/contracts";
import { useMemo } from "react";
import uPlot from "uplot";
import {
  attemptsIn,
  bucketLabel,
  busyBuckets,
  type Grain,
  OUTCOME_LABELS,
  OUTCOMES,
  type Outcome,
  outcomeSummary,
  STACK_ORDER,
  stackedColumns,
} from "./chart-data.ts";
import { ChartFigure } from "./chart-figure.tsx";
import { themeColor, themedAxis } from "./uplot-chart.tsx";

/** Each outcome's colour, a theme variable (with its light value if unset). */
const COLOR: Record<Outcome, [string, string]> = {
  succeeded: ["--ok", "#1f7a3d"],
  retried: ["--warn", "#8a5a00"],
  failed: ["--danger", "#b3261e"],
};

function outcomeOptions(width: number, height: number): uPlot.Options {
  const surface = themeColor("--surface", "#ffffff");
  return {
    width,
    height,
    // A static key: the numbers are in the table, not under the pointer.
    legend: { live: false },
    cursor: { show: false },
    scales: {
      // Half a bucket either side, so that the first and the last bar show whole.
      x: {
        time: true,
        range: (u, min, max) => {
          const [first = 0, second = first + 1] = u.data[0] ?? [];
          const half = (second - first) / 2;
          return [min - half, max + half];
        },
      },
      y: { range: (_u, _min, max) => [0, Math.max(1, max)] },
    },
    axes: [themedAxis(), themedAxis({ label: "Attempts", size: 50 })],
    series: [
      {},
      ...STACK_ORDER.map((outcome) => {
        const color = themeColor(...COLOR[outcome]);
        return {
          label: OUTCOME_LABELS[outcome],
          fill: color,
          // A thin line in the page's colour between the parts of a stack.
          stroke: surface,
          width: 1,
          paths: uPlot.paths.bars?.({ size: [0.8, 24] }),
          points: { show: false },
        };
      }),
    ],
  };
}

/**
 * Attempts per bucket by outcome: stacked bars, a sentence saying what it shows (its
 * accessible name) and a table of the buckets that had attempts.
 */
export function OutcomeChart({
  title,
  buckets,
  grain,
}: {
  title: string;
  buckets: OutcomeBucket[];
  grain: Grain;
}) {
  const data = useMemo(() => stackedColumns(buckets), [buckets]);
  const summary = outcomeSummary(buckets);
  const rows = busyBuckets(buckets);
  const unit = grain === "day" ? "Day (UTC)" : grain === "hour" ? "Hour" : "Minute";
  return (
    <ChartFigure
      title={title}
      summary={summary}
      options={outcomeOptions}
      data={data}
      table={
        rows.length === 0 ? (
          <p className="hint">No attempts in this time.</p>
        ) : (
          <div className="table-wrap">
            <table className="cards-on-phone">
              <caption>
                {title}, the {grain}s with attempts
              </caption>
              <thead>
                <tr>
                  <th scope="col">{unit}</th>
                  {OUTCOMES.map((outcome) => (
                    <th scope="col" key={outcome}>
                      {OUTCOME_LABELS[outcome]}
                    </th>
                  ))}
                  <th scope="col">All</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((bucket) => (
                  <tr key={bucket.start}>
                    <th scope="row">{bucketLabel(bucket.start, grain)}</th>
                    {OUTCOMES.map((outcome) => (
                      <td key={outcome} data-label={OUTCOME_LABELS[outcome]} className="number">
                        {bucket[outcome]}
                      </td>
                    ))}
                    <td data-label="All" className="number">
                      {attemptsIn(bucket)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      }
    />
  );
}
