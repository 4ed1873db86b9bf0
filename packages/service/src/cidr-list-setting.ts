import { parseCidr } from "@claimwire/address-policy";
import { z } from "zod";

/**
 * An environment setting that lists CIDR ranges, comma-separated ("127.0.0.0/8,::1/128"),
 * empty by default: the ranges deliveries may reach although the address policy refuses
 * them (the workers' DELIVERY_ALLOW_PRIVATE_NETWORKS, the insurer's
 * ENDPOINT_ALLOW_PRIVATE_NETWORKS). An entry that is not a range fails the setting,
 * named.
 */
export function cidrListSetting() {
  return z
    .string()
    .default("")
    .transform((list) =>
      list
        .split(",")
        .map((entry) => entry.trim())
        .filter(Boolean),
    )
    .superRefine((entries, ctx) => {
      for (const entry of entries) {
        try {
          parseCidr(entry);
        } catch (err) {
          ctx.addIssue({ code: "custom", message: (err as Error).message });
        }
      }
    });
}
