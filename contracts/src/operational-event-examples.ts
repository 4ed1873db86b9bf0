/**
 * Examples of the operational events of operational-events.ts, spread into
 * WEBHOOK_EVENT_EXAMPLES (one per event type, each parsed by its schema in the tests).
 */
const clinicId = "cln_01JDQ6Y0000000000000000000";
const endpointId = "ep_01JDQ6Z9K2M4N6P8R0S2T4V6W8";
const delivery = {
  endpointId,
  clinicId,
  deliveryId: "dlv_01JDQ7A1B2C3D4E5F6G7H8J9K0",
  eventId: "evt_01JDQ7A0Z9Y8X7W6V5T4S3R2Q1",
  eventType: "claim.approved",
  lastStatusCode: 503,
  lastErrorClass: "http_status",
  firstFailedAt: "2026-12-04T10:00:00.120Z",
} as const;

export const OPERATIONAL_EVENT_EXAMPLES = {
  "delivery.failing": {
    type: "delivery.failing",
    timestamp: "2026-12-04T10:05:06.000Z",
    data: { ...delivery, failedAttempts: 3, lastFailedAt: "2026-12-04T10:05:05.310Z" },
  },
  "delivery.exhausted": {
    type: "delivery.exhausted",
    timestamp: "2026-12-07T07:42:10.000Z",
    data: {
      ...delivery,
      failedAttempts: 9,
      lastStatusCode: null,
      lastErrorClass: "timeout",
      lastFailedAt: "2026-12-07T07:41:55.004Z",
      exhaustedAt: "2026-12-07T07:42:10.000Z",
    },
  },
  "endpoint.recovered": {
    type: "endpoint.recovered",
    timestamp: "2026-12-04T11:30:02.000Z",
    data: {
      endpointId,
      clinicId,
      failingSince: "2026-12-04T10:00:00.120Z",
      failedAttempts: 14,
      deliveryId: "dlv_01JDQ7A1B2C3D4E5F6G7H8J9K0",
      recoveredAt: "2026-12-04T11:30:02.000Z",
    },
  },
} as const;
