import type { DeliveryErrorClass } from "@claimwire/contracts";

/**
 * Failures that say nothing about the endpoint's health: our own configuration was
 * missing, disabled or unreadable in KV when the worker looked (it made no request).
 */
export const NOT_THE_ENDPOINTS_FAULT: ReadonlySet<DeliveryErrorClass> = new Set([
  "endpoint_deleted",
  "endpoint_disabled",
  "endpoint_config_invalid",
]);
