import { DeliveryIdSchema } from "@claimwire/contracts";
import { DomainError } from "./domain-error.ts";

/**
 * A page cursor is the last delivery id of the previous page, wrapped so clients treat
 * it as opaque (and we stay free to change what it holds).
 */
export function encodeDeliveryCursor(deliveryId: string): string {
  return Buffer.from(JSON.stringify({ before: deliveryId })).toString("base64url");
}

export function decodeDeliveryCursor(cursor: string): string {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    return DeliveryIdSchema.parse((parsed as { before?: unknown }).before);
  } catch {
    throw new DomainError("BAD_REQUEST", "cursor: is not a cursor this API returned");
  }
}
