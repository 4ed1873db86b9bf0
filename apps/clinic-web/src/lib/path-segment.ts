/**
 * A path parameter as the user meant it: the router hands it over with only `decodeURI`
 * applied, so an id with an escaped "/" or "?" ("a%2Fb") still needs decoding. Malformed
 * escapes are kept as typed; the API then answers that nothing has that id.
 */
export function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
