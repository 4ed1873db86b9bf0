import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { reconciliationLine } from "../lib/format.ts";
import { useTRPC } from "../trpc.ts";

/**
 * When the clinic last compared its inbox with the insurer's event feed (at start, then on
 * a schedule), and a button to do it now.
 */
export function ReconciliationStatus() {
  const trpc = useTRPC();
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const status = useQuery(trpc.reconciliation.status.queryOptions());
  const run = useMutation(
    trpc.reconciliation.run.mutationOptions({
      onSettled: () =>
        queryClient.invalidateQueries({ queryKey: trpc.reconciliation.status.queryKey() }),
    }),
  );
  const line = status.data ? reconciliationLine(status.data, t) : null;
  return (
    <section className="reconciliation" aria-labelledby="reconciliation-heading">
      <h2 id="reconciliation-heading" className="visually-hidden">
        {t("reconciliation.heading")}
      </h2>
      <p data-testid="reconciliation-status">
        {line ? line.text : t("reconciliation.unknown")}
        {line?.failed && <span className="error-text"> ({line.failed})</span>}
      </p>
      <button
        type="button"
        className="button-secondary"
        onClick={() => run.mutate()}
        disabled={run.isPending}
      >
        {run.isPending ? t("reconciliation.running") : t("reconciliation.run")}
      </button>
    </section>
  );
}
