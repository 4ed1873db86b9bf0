/** What an attempt report keeps of a response body (AttemptReportSchema's limit). */
export const KEPT_BODY_BYTES = 20 * 1024;
/**
 * Reading on past what is kept lets the keep-alive socket be reused for the next delivery;
 * past this much it is cheaper to drop the connection than to download the rest.
 */
export const DRAINED_BODY_BYTES = 256 * 1024;

/**
 * Reads the first KEPT_BODY_BYTES of a body as UTF-8 text, drains up to
 * DRAINED_BODY_BYTES, then stops (which closes the connection). Never throws: a body that
 * breaks or stalls until the deadline aborts it yields what arrived before.
 *
 * @example
 * const text = await readResponseBody(response.body); // ≤ 20 KB
 */
export async function readResponseBody(body: AsyncIterable<Uint8Array>): Promise<string> {
  const kept: Uint8Array[] = [];
  let keptBytes = 0;
  let readBytes = 0;
  try {
    for await (const chunk of body) {
      readBytes += chunk.length;
      if (keptBytes < KEPT_BODY_BYTES) {
        const part = chunk.subarray(0, KEPT_BODY_BYTES - keptBytes);
        kept.push(part);
        keptBytes += part.length;
      }
      if (readBytes >= DRAINED_BODY_BYTES) break;
    }
  } catch {
    // Keep what arrived; the status code already says how the attempt went.
  }
  const bytes = Buffer.concat(kept);
  // Streaming mode holds back a multi-byte character cut in half at the limit instead of
  // turning it into U+FFFD; UTF-8 never decodes to more UTF-16 units than it has bytes.
  return new TextDecoder().decode(bytes, { stream: readBytes > keptBytes });
}
