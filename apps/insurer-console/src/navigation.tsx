import { type AnchorHTMLAttributes, type MouseEvent, useSyncExternalStore } from "react";

/**
 * Client-side navigation under the console's base path (/console/), with the History
 * API: each view has a real URL that can be bookmarked, reloaded or opened in a new tab
 * (the insurer answers index.html for every path below /console/).
 */
const BASE = import.meta.env.BASE_URL;
const NAVIGATED = "claimwire:navigated";

function subscribe(listener: () => void): () => void {
  window.addEventListener("popstate", listener);
  window.addEventListener(NAVIGATED, listener);
  return () => {
    window.removeEventListener("popstate", listener);
    window.removeEventListener(NAVIGATED, listener);
  };
}

function currentPath(): string {
  const { pathname } = window.location;
  const inside = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : "";
  return inside.replace(/\/+$/, "");
}

/** The path below the base, without slashes at either end: "", "endpoints/ep_…". */
export function usePath(): string {
  return useSyncExternalStore(subscribe, currentPath);
}

export function hrefTo(path: string): string {
  return `${BASE}${path}`;
}

export function navigate(path: string): void {
  window.history.pushState(null, "", hrefTo(path));
  window.dispatchEvent(new Event(NAVIGATED));
}

type LinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, "href"> & { to: string };

/** A real link (middle-click and "open in new tab" work) that navigates in place. */
export function Link({ to, onClick, ...rest }: LinkProps) {
  function handleClick(event: MouseEvent<HTMLAnchorElement>) {
    onClick?.(event);
    const modified = event.metaKey || event.ctrlKey || event.shiftKey || event.altKey;
    if (event.defaultPrevented || modified || event.button !== 0) return;
    event.preventDefault();
    navigate(to);
  }
  return <a href={hrefTo(to)} onClick={handleClick} {...rest} />;
}
