import { useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { changeAnnouncement } from "../lib/change-announcement.ts";
import { useTRPC } from "../trpc.ts";

/**
 * Keeps every open page current: the clinic pushes a change (server-sent events) whenever
 * it applies a webhook, quarantines a message or reconciles, and the queries it concerns
 * are refetched. Shows whether the live connection is up, and announces status changes to
 * screen readers.
 */
export function LiveStatus() {
  const trpc = useTRPC();
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [announcement, setAnnouncement] = useState("");
  const connectedBefore = useRef(false);
  const subscription = useSubscription(
    trpc.live.changes.subscriptionOptions(undefined, {
      onStarted: () => {
        // Reconnected: whatever happened while disconnected is fetched again. (The first
        // connection comes with the page's own first fetches.)
        if (connectedBefore.current) void queryClient.invalidateQueries();
        connectedBefore.current = true;
      },
      onData: (change) => {
        const announcement = changeAnnouncement(change, t);
        if (announcement !== null) setAnnouncement(announcement);
        if (change.kind !== "reconciliation") {
          void queryClient.invalidateQueries({ queryKey: trpc.inbox.recent.pathKey() });
        }
        if (change.kind === "claim") {
          void queryClient.invalidateQueries({ queryKey: trpc.claims.list.queryKey() });
          void queryClient.invalidateQueries({
            queryKey: trpc.claims.byId.queryKey({ claimId: change.claimId }),
          });
        } else if (change.kind === "inbox") {
          void queryClient.invalidateQueries({ queryKey: trpc.inbox.quarantined.queryKey() });
          void queryClient.invalidateQueries({ queryKey: trpc.claims.byId.pathKey() });
        } else {
          void queryClient.invalidateQueries({ queryKey: trpc.reconciliation.status.queryKey() });
        }
      },
    }),
  );
  const live = subscription.status === "pending";
  return (
    <>
      <p className={`live-status ${live ? "is-live" : "is-offline"}`} data-testid="live-status">
        <span className="live-dot" aria-hidden="true" />
        {live
          ? t("layout.live")
          : subscription.status === "error"
            ? t("layout.offline")
            : t("layout.connecting")}
      </p>
      <p className="visually-hidden" aria-live="polite" data-testid="live-announcement">
        {announcement}
      </p>
    </>
  );
}
