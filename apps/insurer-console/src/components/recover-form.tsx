import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { plural } from "../format.ts";
import { defaultSince, parseRecoverRange } from "../recover-range.ts";
import { useRefreshEndpoint } from "../refresh-endpoint.ts";
import { trpc } from "../trpc.ts";
import { BusyButton } from "./busy-button.tsx";
import { ActionResult, ErrorMessage } from "./feedback.tsx";

/** Re-queues the endpoint's failed deliveries created in a time range (endpoints.recover). */
export function RecoverForm({ endpointId }: { endpointId: string }) {
  const refresh = useRefreshEndpoint(endpointId);
  const [since, setSince] = useState(() => defaultSince(Date.now()));
  const [until, setUntil] = useState("");
  const [result, setResult] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const ids = { since: useId(), until: useId() };
  const recover = useMutation(
    trpc.endpoints.recover.mutationOptions({
      onMutate: () => setResult(null),
      onSuccess: ({ count }) =>
        setResult(
          count === 0
            ? "No failed deliveries in that range."
            : `Re-queued ${plural(count, "failed delivery", "failed deliveries")}.`,
        ),
      // The recovered deliveries are due now: the log shows them and follows them closely.
      onSettled: () => void refresh(),
    }),
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = parseRecoverRange(since, until);
    setProblem(parsed.ok ? null : parsed.error);
    if (parsed.ok) recover.mutate({ endpointId, ...parsed.range });
  }

  return (
    <section aria-labelledby="recover-heading">
      <h2 id="recover-heading">Recover failed messages</h2>
      <p className="hint">
        Sends again every delivery to this endpoint that failed and was created in the range.
      </p>
      <form className="inline-form" onSubmit={submit}>
        <div className="field">
          <label htmlFor={ids.since}>From</label>
          <input
            id={ids.since}
            type="datetime-local"
            required
            value={since}
            onChange={(event) => setSince(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={ids.until}>Until (empty: now)</label>
          <input
            id={ids.until}
            type="datetime-local"
            value={until}
            min={since}
            onChange={(event) => setUntil(event.target.value)}
          />
        </div>
        <BusyButton type="submit" busy={recover.isPending}>
          Recover
        </BusyButton>
      </form>
      <ActionResult>{result}</ActionResult>
      {problem ? (
        <p className="message message-error" role="alert">
          {problem}
        </p>
      ) : null}
      {recover.isError ? <ErrorMessage error={recover.error} /> : null}
    </section>
  );
}
