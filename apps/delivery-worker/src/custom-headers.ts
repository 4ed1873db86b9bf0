import { EndpointHeaderValueSchema, headerNameProblem } from "@claimwire/contracts";

/**
 * The endpoint's custom headers that may go on the request. The insurer already refuses
 * bad ones (contracts' endpoint-headers.ts), but the worker sends whatever is in KV, so it
 * checks again and drops, silently and without logging a value: reserved names (so a
 * `webhook-signature` or `content-length` of the endpoint's never replaces ours),
 * malformed names, values the contracts refuse (control characters: no header injection,
 * and no undici error quoting a value), and names that repeat another in letter case only.
 *
 * @example
 * sendableCustomHeaders({ "X-Route": "north", "Webhook-Id": "forged" }); // { "X-Route": "north" }
 */
export function sendableCustomHeaders(
  headers: Readonly<Record<string, string>>,
): Record<string, string> {
  const sendable: Record<string, string> = {};
  const seen = new Set<string>();
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (
      headerNameProblem(name) !== null ||
      !EndpointHeaderValueSchema.safeParse(value).success ||
      seen.has(lower)
    ) {
      continue;
    }
    seen.add(lower);
    sendable[name] = value;
  }
  return sendable;
}
