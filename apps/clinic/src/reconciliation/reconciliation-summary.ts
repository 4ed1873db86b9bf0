import type { ReconciliationState } from "./reconciliation-state.ts";

const at = (iso: string) => `${iso.replace("T", " ").slice(0, 16)} UTC`;

/**
 * One line on when reconciliation last ran, as the web app also words it:
 * "Last reconciled: 2026-11-30 09:00 UTC (3 events applied)", or, when the latest run
 * failed, "Last reconciled: never (the latest attempt, 2026-11-30 09:01 UTC, failed: …)".
 */
export function reconciliationSummary(state: ReconciliationState): string {
  if (state.lastRunAt === null) return "Last reconciled: never";
  const applied = `${state.lastRunNew} event${state.lastRunNew === 1 ? "" : "s"} applied`;
  if (state.lastRunError === null) return `Last reconciled: ${at(state.lastRunAt)} (${applied})`;
  const lastGood = state.lastSuccessAt ? at(state.lastSuccessAt) : "never";
  return `Last reconciled: ${lastGood} (the latest attempt, ${at(state.lastRunAt)}, failed: ${state.lastRunError})`;
}
