import type { ReactNode } from "react";
import type uPlot from "uplot";
import { UPlotChart } from "./uplot-chart.tsx";

/**
 * A chart as every chart of the console shows it: its title and a sentence saying what
 * it shows (also the canvas's accessible name), the canvas, and its numbers as a table
 * behind a "Table: …" disclosure.
 */
export function ChartFigure({
  title,
  summary,
  options,
  data,
  table,
}: {
  title: string;
  summary: string;
  options: (width: number, height: number) => uPlot.Options;
  data: uPlot.AlignedData;
  /** The table (or a note that there is nothing to list), inside the disclosure. */
  table: ReactNode;
}) {
  return (
    <figure className="chart">
      <figcaption>
        <strong>{title}</strong> <span className="hint">{summary}</span>
      </figcaption>
      <UPlotChart label={`${title}: ${summary}`} options={options} data={data} />
      <details>
        <summary>Table: {title.toLowerCase()}</summary>
        {table}
      </details>
    </figure>
  );
}
