import type { OutcomeBucket } from "@claimwire/contracts";
import { useMemo } from "react";
import type uPlot from "uplot";
import {
  attemptsIn,
  bucketLabel,
  busyBuckets,
  type Grain,
  OUTCOME_LABELS,
  OUTCOMES,
  type Outcome,
  outcomeColumns,
  outcomeSummary,
} from "./chart-data.ts";
import { themeColor, themedAxis, UPlotChart } from "./uplot-chart.tsx";

/** Each outcome's colour (a theme variable) and dash: told apart without colour too. */
const STYLE: Record<Outcome, { color: [string, string]; dash?: number[]; width: number }> = {
  succeeded: { color: ["--ok", "#1f7a3d"], width: 2 },
  retried: { color: ["--warn", "#8a5a00"], dash: [6, 4], width: 2 },
  failed: { color: ["--danger", "#b3261e"], dash: [2, 3], width: 2.5 },
};

function outcomeOptions(width: number, height: number): uPlot.Options {
  return {
    width,
    height,
    // A static key: the numbers are in the table, not under the pointer.
    legend: { live: false },
    cursor: { show: false },
    scales: { y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
    axes: [themedAxis(), themedAxis({ label: "Attempts", size: 50 })],
    series: [
      {},
      ...OUTCOMES.map((outcome) => {
        const style = STYLE[outcome];
        const color = themeColor(...style.color);
        return {
          label: OUTCOME_LABELS[outcome],
          stroke: color,
          width: style.width,
          ...(style.dash ? { dash: style.dash } : {}),
          points: { show: true, size: 5, stroke: color, fill: color },
        };
      }),
    ],
  };
}

/**
 * Attempts per bucket by outcome: a line chart, a sentence saying what it shows (its
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
  const data = useMemo(() => outcomeColumns(buckets), [buckets]);
  const summary = outcomeSummary(buckets);
  const rows = busyBuckets(buckets);
  const unit = grain === "day" ? "Day (UTC)" : grain === "hour" ? "Hour" : "Minute";
  return (
    <figure className="chart">
      <figcaption>
        <strong>{title}</strong> <span className="hint">{summary}</span>
      </figcaption>
      <UPlotChart label={`${title}: ${summary}`} options={outcomeOptions} data={data} />
      <details>
        <summary>Table: {title.toLowerCase()}</summary>
        {rows.length === 0 ? (
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
        )}
      </details>
    </figure>
  );
}
