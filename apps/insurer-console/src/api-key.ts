import { useSyncExternalStore } from "react";

/**
 * The API key the user pasted, kept in sessionStorage: it survives a reload but not the
 * tab, and is written nowhere else (no cookie, no localStorage). When the insurer refuses
 * it, the key is dropped and `signOutNotice` tells the sign-in form why.
 */
const STORAGE_KEY = "claimwire.console.apiKey";
const listeners = new Set<() => void>();
let notice: string | null = null;

export function readApiKey(): string | null {
  try {
    return sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage disabled: the user signs in again after a reload
  }
}

function write(key: string | null): void {
  try {
    if (key === null) sessionStorage.removeItem(STORAGE_KEY);
    else sessionStorage.setItem(STORAGE_KEY, key);
  } catch {
    // Storage disabled: nothing to persist.
  }
  for (const listener of listeners) listener();
}

export function saveApiKey(key: string): void {
  notice = null;
  write(key);
}

/** Signs out; `reason` is shown on the sign-in form. */
export function clearApiKey(reason: string | null = null): void {
  notice = reason;
  write(null);
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useApiKey(): string | null {
  return useSyncExternalStore(subscribe, readApiKey);
}

export function useSignOutNotice(): string | null {
  return useSyncExternalStore(subscribe, () => notice);
}
