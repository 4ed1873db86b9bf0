import type { Endpoint } from "@claimwire/contracts";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { RouterOutputs } from "../app-router.ts";
import { formatDateTime } from "../format.ts";
import { useRefreshEndpoint } from "../refresh-endpoint.ts";
import { trpc } from "../trpc.ts";
import { BusyButton } from "./busy-button.tsx";
import { ActionResult, ErrorMessage } from "./feedback.tsx";

type RotatedSecret = RouterOutputs["endpoints"]["rotateSecret"];
/** An action's outcome; `enabled`: the state it announces, shown only while the view agrees. */
type Outcome = { text: string; enabled?: boolean };

/**
 * Enable or disable, send a test event, and (for the clinic that owns the endpoint)
 * rotate its signing secret. Staff cannot rotate: the new secret is shown once, to
 * whoever rotates, and only the clinic may ever see it.
 */
export function EndpointActions({
  endpoint,
  canRotate,
}: {
  endpoint: Endpoint;
  canRotate: boolean;
}) {
  const queryClient = useQueryClient();
  const [result, setResult] = useState<Outcome | null>(null);
  const [secret, setSecret] = useState<RotatedSecret | null>(null);
  const endpointId = endpoint.id;

  const refreshEndpoint = useRefreshEndpoint(endpointId);
  // Every action clears the last outcome when it starts and refreshes the view when it ends.
  const everyAction = {
    onMutate: () => {
      setResult(null);
      setSecret(null);
    },
    onSettled: () => void refreshEndpoint(),
  };
  // Enable/Disable show the endpoint as the call returned it (not a refetch later), so the
  // button's label changes with the outcome; the outcome waits for the label, never the
  // reverse. A refetch already under way may carry the old state: it is cancelled.
  const showToggled = (outcome: Outcome) => (updated: Endpoint) => {
    void queryClient.cancelQueries(trpc.endpoints.byId.queryFilter({ endpointId }));
    queryClient.setQueryData(trpc.endpoints.byId.queryKey({ endpointId }), updated);
    setResult(outcome);
  };

  const enable = useMutation(
    trpc.endpoints.enable.mutationOptions({
      ...everyAction,
      onSuccess: showToggled({
        text: "Endpoint enabled. New events will be delivered to it.",
        enabled: true,
      }),
    }),
  );
  const disable = useMutation(
    trpc.endpoints.disable.mutationOptions({
      ...everyAction,
      onSuccess: showToggled({
        text: "Endpoint disabled. Nothing is sent to it until it is enabled.",
        enabled: false,
      }),
    }),
  );
  const sendTest = useMutation(
    trpc.endpoints.sendTest.mutationOptions({
      ...everyAction,
      onSuccess: ({ deliveryId }) =>
        setResult({
          text: `Test event queued as delivery ${deliveryId}; it appears in the message log.`,
        }),
    }),
  );
  const rotate = useMutation(
    trpc.endpoints.rotateSecret.mutationOptions({
      ...everyAction,
      onSuccess: (rotated) => {
        setSecret(rotated);
        setResult({ text: "Secret rotated." });
      },
    }),
  );
  const failed = [enable, disable, sendTest, rotate].find((m) => m.isError);
  const busy = [enable, disable, sendTest, rotate].some((m) => m.isPending);

  return (
    <section aria-labelledby="endpoint-actions">
      <h2 id="endpoint-actions">Actions</h2>
      <div className="actions">
        {endpoint.enabled ? (
          <BusyButton className="danger" busy={busy} onClick={() => disable.mutate({ endpointId })}>
            Disable
          </BusyButton>
        ) : (
          <BusyButton busy={busy} onClick={() => enable.mutate({ endpointId })}>
            Enable
          </BusyButton>
        )}
        <BusyButton busy={busy} onClick={() => sendTest.mutate({ endpointId })}>
          Send test event
        </BusyButton>
        {canRotate ? (
          <BusyButton busy={busy} onClick={() => rotate.mutate({ endpointId })}>
            Rotate secret
          </BusyButton>
        ) : null}
      </div>
      {canRotate ? null : (
        <p className="hint">
          Only the clinic can rotate this endpoint's signing secret: the new secret is shown once,
          to whoever rotates it.
        </p>
      )}
      <ActionResult>
        {result && (result.enabled ?? endpoint.enabled) === endpoint.enabled ? result.text : null}
        {secret ? (
          <span className="secret">
            {" "}
            New {secret.signatureScheme} secret, shown only now:{" "}
            <code className="id">{secret.secret}</code>. The previous secret keeps signing beside it
            until {formatDateTime(secret.previousSecretExpiresAt)}.
          </span>
        ) : null}
      </ActionResult>
      {failed ? <ErrorMessage error={failed.error} /> : null}
    </section>
  );
}
