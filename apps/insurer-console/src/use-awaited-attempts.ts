import { useQueries } from "@tanstack/react-query";
import { useCallback, useEffect, useState } from "react";
import { trpc } from "./trpc.ts";

const POLL_MS = 1_000;
/** Workers stopped or the endpoint hanging: stop asking (the views keep their own refresh). */
const GIVE_UP_MS = 60_000;

type AwaitedAttempt = { deliveryId: string; attemptNumber: number; since: number };

/**
 * Follows attempts the user just dispatched (Resend) until the insurer has recorded them:
 * the delivery's attempts are fetched every second, and once the awaited one is there,
 * `onLanded` runs (to refresh the endpoint's views). The message log alone cannot tell:
 * resending a delivered message leaves its row as it was (still delivered, its attempt
 * count raised at once), and the resend call returns before the attempt is made.
 * Returns the function that starts following an attempt.
 */
export function useAwaitedAttempts(
  onLanded: () => void,
): (deliveryId: string, attemptNumber: number) => void {
  const [awaited, setAwaited] = useState<readonly AwaitedAttempt[]>([]);
  const attempts = useQueries({
    queries: awaited.map(({ deliveryId, since }) =>
      trpc.deliveries.attempts.queryOptions(
        { deliveryId },
        { refetchInterval: () => (Date.now() - since < GIVE_UP_MS ? POLL_MS : false) },
      ),
    ),
  });
  // A string, so the effect below runs when what has landed changes, not on every render.
  const landed = awaited
    .filter(({ attemptNumber }, index) =>
      attempts[index]?.data?.some((attempt) => attempt.attemptNumber >= attemptNumber),
    )
    .map(({ deliveryId }) => deliveryId)
    .join(" ");

  useEffect(() => {
    if (!landed) return;
    const ids = new Set(landed.split(" "));
    setAwaited((current) => current.filter(({ deliveryId }) => !ids.has(deliveryId)));
    onLanded();
  }, [landed, onLanded]);

  return useCallback((deliveryId: string, attemptNumber: number) => {
    setAwaited((current) => [
      ...current.filter((other) => other.deliveryId !== deliveryId),
      { deliveryId, attemptNumber, since: Date.now() },
    ]);
  }, []);
}
