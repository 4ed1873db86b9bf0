import { useEffect, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

const HEIGHT = 220;

/**
 * A uPlot chart (canvas) filling its box's width. `options` is called with the width when
 * the chart is made; keep it stable (a module function or useCallback), as a new one
 * makes a new chart. New `data` is drawn into the same chart. The canvas is an image to
 * assistive technology: `label` names it and says what it shows, and each chart has its
 * numbers in a table beside it.
 */
export function UPlotChart({
  label,
  options,
  data,
}: {
  label: string;
  options: (width: number, height: number) => uPlot.Options;
  data: uPlot.AlignedData;
}) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  const latest = useRef(data);
  latest.current = data;

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const plot = new uPlot(options(element.clientWidth, HEIGHT), latest.current, element);
    chart.current = plot;
    let width = element.clientWidth;
    // Phones rotate and windows resize: follow the box's width, never the canvas's own.
    const observer = new ResizeObserver(() => {
      if (element.clientWidth === width) return;
      width = element.clientWidth;
      plot.setSize({ width, height: HEIGHT });
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      plot.destroy();
      chart.current = null;
    };
  }, [options]);

  useEffect(() => {
    chart.current?.setData(data);
  }, [data]);

  return <div className="chart-canvas" role="img" aria-label={label} ref={box} />;
}

/** A colour of the console's theme (styles.css), light or dark as the page is. */
export function themeColor(name: string, fallback: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}

/** Axes in the theme's muted colour with faint grid lines. */
export function themedAxis(extra: uPlot.Axis = {}): uPlot.Axis {
  const muted = themeColor("--muted", "#55606e");
  const border = themeColor("--border", "#d5dae1");
  return {
    stroke: muted,
    grid: { stroke: border, width: 1 },
    ticks: { stroke: border, width: 1 },
    ...extra,
  };
}
