import { isTRPCClientError } from "@trpc/client";

/** What a page shows while its data loads or when it could not be loaded. */
export function Loading({ what }: { what: string }) {
  return (
    <p className="muted" role="status">
      Loading {what}…
    </p>
  );
}

export function LoadError({ error, what }: { error: unknown; what: string }) {
  const message = isTRPCClientError(error) ? error.message : "The clinic could not be reached.";
  return (
    <p className="error-box" role="alert">
      Could not load {what}: {message}
    </p>
  );
}
