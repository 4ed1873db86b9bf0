import type { AttemptReport, DeliveryTask } from "./messages.ts";
import { subjects } from "./topology.ts";

/**
 * What a trace span says about a message, the same on the publishing and the consuming
 * side: OpenTelemetry's messaging attributes and our ids, never the body (it may be
 * delivered to a clinic, not to a tracing backend) nor anything signed.
 */
export function deliveryTaskSpanAttributes(task: DeliveryTask): Record<string, string | number> {
  return {
    "messaging.system": "nats",
    "messaging.destination.name": subjects.delivery(task.endpointId),
    "claimwire.delivery_id": task.deliveryId,
    "claimwire.event_id": task.eventId,
    "claimwire.event_type": task.eventType,
    "claimwire.endpoint_id": task.endpointId,
    "claimwire.attempt_number": task.attemptNumber,
  };
}

export function attemptReportSpanAttributes(
  report: AttemptReport,
): Record<string, string | number> {
  return {
    "messaging.system": "nats",
    "messaging.destination.name": subjects.attempt(report.endpointId),
    "claimwire.delivery_id": report.deliveryId,
    "claimwire.event_id": report.eventId,
    "claimwire.endpoint_id": report.endpointId,
    "claimwire.attempt_number": report.attemptNumber,
    "claimwire.outcome": report.outcome,
  };
}
