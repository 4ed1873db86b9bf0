import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { reconciliationLine } from "../lib/format.ts";
import { useTRPC } from "../trpc.ts";

/**
 * When the clinic last compared its inbox with the insurer's event feed (at start, then on
 * a schedule), and a button to do it now.
 */
export function ReconciliationStatus() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const status = useQuery(trpc.reconciliation.status.queryOptions());
  const run = useMutation(
    trpc.reconciliation.run.mutationOptions({
      onSettled: () =>
        queryClient.invalidateQueries({ queryKey: trpc.reconciliation.status.queryKey() }),
    }),
  );
  const line = status.data ? reconciliationLine(status.data) : null;
  return (
    <section className="reconciliation" aria-labelledby="reconciliation-heading">
      <h2 id="reconciliation-heading" className="visually-hidden">
        Reconciliation with the insurer's event feed
      </h2>
      <p data-testid="reconciliation-status">
        {line ? line.text : "Last reconciled: …"}
        {line?.failed && <span className="error-text"> ({line.failed})</span>}
      </p>
      <button
        type="button"
        className="button-secondary"
        onClick={() => run.mutate()}
        disabled={run.isPending}
      >
        {run.isPending ? "Reconciling…" : "Reconcile now"}
      </button>
    </section>
  );
}
