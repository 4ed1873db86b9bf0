import type { ReactNode, Ref } from "react";
import { errorMessage } from "../api-error.ts";

/** A failed call, announced to screen readers. */
export function ErrorMessage({ error, children }: { error: unknown; children?: ReactNode }) {
  return (
    <div className="message message-error" role="alert">
      <p>{errorMessage(error)}</p>
      {children}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="loading" aria-live="polite">
      Loading {what}…
    </p>
  );
}

/**
 * The outcome of an action, announced politely. The live region is always rendered
 * (empty until there is an outcome) so screen readers notice when text appears in it.
 */
export function ActionResult({
  children,
  ref,
}: {
  children?: ReactNode;
  /** To move focus here when the control that acted is gone (tabIndex -1). */
  ref?: Ref<HTMLDivElement>;
}) {
  return (
    <div className="message message-ok" role="status" ref={ref} tabIndex={-1}>
      {children}
    </div>
  );
}
