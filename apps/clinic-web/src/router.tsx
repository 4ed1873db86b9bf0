import { type AnchorHTMLAttributes, type MouseEvent, useSyncExternalStore } from "react";

/** The app's pages, matched from the URL path. */
export type Route =
  | { page: "claims" }
  | { page: "new-claim" }
  | { page: "claim"; claimId: string }
  | { page: "patient"; token: string }
  | { page: "not-found" };

export function matchRoute(path: string): Route {
  if (path === "/" || path === "/claims") return { page: "claims" };
  if (path === "/claims/new") return { page: "new-claim" };
  const claim = /^\/claims\/([^/]+)$/.exec(path);
  if (claim?.[1]) return { page: "claim", claimId: decodeURIComponent(claim[1]) };
  const patient = /^\/p\/([^/]+)$/.exec(path);
  if (patient?.[1]) return { page: "patient", token: decodeURIComponent(patient[1]) };
  return { page: "not-found" };
}

const NAVIGATED = "claimwire:navigated";

function subscribe(onChange: () => void) {
  window.addEventListener("popstate", onChange);
  window.addEventListener(NAVIGATED, onChange);
  return () => {
    window.removeEventListener("popstate", onChange);
    window.removeEventListener(NAVIGATED, onChange);
  };
}

/** The current path; re-renders on navigation (links, back and forward). */
export function usePath(): string {
  return useSyncExternalStore(subscribe, () => window.location.pathname);
}

export function navigate(path: string): void {
  window.history.pushState(null, "", path);
  window.dispatchEvent(new Event(NAVIGATED));
  window.scrollTo(0, 0);
}

/** An ordinary link (open in a new tab, copy, keyboard) that navigates without a reload. */
export function Link({
  href,
  onClick,
  ...rest
}: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  function handle(event: MouseEvent<HTMLAnchorElement>) {
    onClick?.(event);
    const modified = event.metaKey || event.ctrlKey || event.shiftKey || event.altKey;
    if (event.defaultPrevented || modified || event.button !== 0) return;
    event.preventDefault();
    navigate(href);
  }
  return <a href={href} onClick={handle} {...rest} />;
}
