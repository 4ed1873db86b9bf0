import { useEffect, useState } from "react";

/** Where the clinic streams a patient page's news (server-sent events), by its token. */
export function patientEventsUrl(token: string): string {
  return `/api/patient/events/${encodeURIComponent(token)}`;
}

export type PatientLiveState = "connecting" | "live" | "off";

/**
 * Listens for news about the claim behind `token` and calls `onNews` when there is some:
 * on each status change, and on every reconnection after the first (whatever happened
 * while the connection was down). The browser's EventSource reconnects by itself after a
 * network failure; a token that opens no claim gets no stream (404), and then nothing is
 * retried ("off").
 */
export function usePatientLiveUpdates(
  token: string,
  onNews: () => void,
  enabled: boolean,
): PatientLiveState {
  const [state, setState] = useState<PatientLiveState>("connecting");
  useEffect(() => {
    if (!enabled) return;
    if (typeof EventSource === "undefined") {
      setState("off");
      return;
    }
    const source = new EventSource(patientEventsUrl(token));
    let connectedBefore = false;
    source.addEventListener("ready", () => {
      setState("live");
      if (connectedBefore) onNews();
      connectedBefore = true;
    });
    source.addEventListener("status", () => onNews());
    source.addEventListener("error", () => {
      setState(source.readyState === EventSource.CLOSED ? "off" : "connecting");
    });
    return () => source.close();
  }, [token, onNews, enabled]);
  return state;
}
