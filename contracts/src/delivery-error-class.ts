import { z } from "zod";

/** Why an attempt failed: the closed set the workers report and the API shows. */
export const DeliveryErrorClassSchema = z.enum([
  "http_status", // answered, but not 2xx (3xx included: redirects are never followed)
  "timeout",
  "connection_refused",
  "dns",
  "tls",
  "network", // reset, closed early, other socket errors
  "ssrf_blocked", // the address dialed is private/internal and not allow-listed
  "endpoint_deleted",
  "endpoint_disabled",
  "endpoint_config_invalid",
]);
export type DeliveryErrorClass = z.infer<typeof DeliveryErrorClassSchema>;
