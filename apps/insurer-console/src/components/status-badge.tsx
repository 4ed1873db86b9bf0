import type { ClaimStatus, DeliveryStatus } from "@claimwire/contracts";
import { claimStatusLabel } from "../format.ts";

export function ClaimStatusBadge({ status }: { status: ClaimStatus }) {
  return <span className={`badge badge-claim-${status}`}>{claimStatusLabel(status)}</span>;
}

const DELIVERY_LABELS: Record<DeliveryStatus, string> = {
  sending: "Sending",
  retrying: "Retrying",
  delivered: "Delivered",
  failed: "Failed",
};

/** Every delivery status (the labels' keys: a status added to the contract fails to compile here). */
export const DELIVERY_STATUSES = Object.keys(DELIVERY_LABELS) as DeliveryStatus[];

export function DeliveryStatusBadge({ status }: { status: DeliveryStatus }) {
  return <span className={`badge badge-delivery-${status}`}>{DELIVERY_LABELS[status]}</span>;
}

export function EndpointStateBadge({
  enabled,
  disabledReason,
}: {
  enabled: boolean;
  disabledReason: string | null;
}) {
  if (enabled) return <span className="badge badge-enabled">Enabled</span>;
  return (
    <span className="badge badge-disabled">
      Disabled{disabledReason ? ` (${disabledReasonLabel(disabledReason)})` : ""}
    </span>
  );
}

/** Why an endpoint was disabled (contracts: EndpointDisabledReasonSchema). */
export function disabledReasonLabel(reason: string): string {
  switch (reason) {
    case "gone":
      return "answered 410 Gone";
    case "failing":
      return "failing too long";
    case "manual":
      return "by hand";
    default:
      return reason;
  }
}
