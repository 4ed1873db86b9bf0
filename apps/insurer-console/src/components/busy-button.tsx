import type { ButtonHTMLAttributes } from "react";

/**
 * A button whose action is running: it says so (aria-disabled) and ignores clicks, but
 * stays focusable. A `disabled` button would drop keyboard focus to the page's start.
 */
export function BusyButton({
  busy,
  onClick,
  ...rest
}: ButtonHTMLAttributes<HTMLButtonElement> & { busy: boolean }) {
  return (
    <button
      type="button"
      {...rest}
      aria-disabled={busy || undefined}
      onClick={(event) => {
        if (busy) {
          event.preventDefault(); // also stops a submit button submitting its form
          return;
        }
        onClick?.(event);
      }}
    />
  );
}
