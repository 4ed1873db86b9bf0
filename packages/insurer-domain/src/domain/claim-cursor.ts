import { ClaimIdSchema } from "@claimwire/contracts";
import { DomainError } from "./domain-error.ts";

/**
 * A page cursor is the last claim id of the previous page, wrapped so clients treat it
 * as opaque (and we stay free to change what it holds).
 */
export function encodeCursor(claimId: string): string {
  return Buffer.from(JSON.stringify({ before: claimId })).toString("base64url");
}

export function decodeCursor(cursor: string): string {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    const before = (parsed as { before?: unknown }).before;
    return ClaimIdSchema.parse(before);
  } catch {
    throw new DomainError("BAD_REQUEST", "cursor: is not a cursor this API returned");
  }
}
