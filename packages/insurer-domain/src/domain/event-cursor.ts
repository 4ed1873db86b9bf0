import { z } from "zod";
import { DomainError } from "./domain-error.ts";

const FeedPositionSchema = z.object({ seq: z.number().int().positive() });

/**
 * A feed cursor is a position in the insurer's event log (the events table's `seq`),
 * wrapped so clients treat it as opaque. Positions only grow and are never reused
 * (AUTOINCREMENT), so a cursor stays valid and means the same thing for as long as the
 * events after it are kept.
 */
export function encodeEventCursor(seq: number): string {
  return Buffer.from(JSON.stringify({ seq })).toString("base64url");
}

/** The position a cursor names; BAD_REQUEST naming `field` for anything we did not issue. */
export function decodeEventCursor(cursor: string, field = "after"): number {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    return FeedPositionSchema.parse(parsed).seq;
  } catch {
    throw new DomainError("BAD_REQUEST", `${field}: is not a cursor this API returned`);
  }
}
