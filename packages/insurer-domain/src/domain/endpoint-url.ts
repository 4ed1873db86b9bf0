import { type AllowList, describeRefusedAddress, parseIpLiteral } from "@claimwire/address-policy";
import { DomainError } from "./domain-error.ts";

/**
 * Checks an endpoint URL on create and update: http or https only, and
 * https unless `allowHttp` (ENDPOINT_ALLOW_HTTP, for dev and tests); no credentials and no
 * fragment, which a webhook URL has no use for; and an IP-literal host must be one the
 * delivery policy lets deliveries reach (@claimwire/address-policy; `allowList` is
 * ENDPOINT_ALLOW_PRIVATE_NETWORKS), so such an endpoint is refused now rather than failing
 * every attempt. A name is not resolved here: it can resolve elsewhere by the time we
 * send, so the delivery worker checks the address it actually dials (its SSRF guard).
 *
 * @example
 * validateEndpointUrl("http://mis.example/hooks", { allowHttp: false }); // throws BAD_REQUEST
 * validateEndpointUrl("https://10.0.0.7/hooks", { allowHttp: false }); // throws: private range
 */
export function validateEndpointUrl(
  url: string,
  opts: { allowHttp: boolean; allowList?: AllowList },
): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DomainError("BAD_REQUEST", "url: is not a valid URL");
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    throw new DomainError("BAD_REQUEST", "url: must be an http(s) URL");
  }
  if (parsed.protocol === "http:" && !opts.allowHttp) {
    throw new DomainError(
      "BAD_REQUEST",
      `url: must use https ('${parsed.origin}' is plain http, which this insurer does not deliver to)`,
    );
  }
  if (parsed.username || parsed.password) {
    throw new DomainError(
      "BAD_REQUEST",
      "url: must not contain credentials (user:password@); authenticate webhooks by their signature",
    );
  }
  if (parsed.hash) {
    throw new DomainError("BAD_REQUEST", "url: must not contain a fragment (#…)");
  }
  // The URL parser has already written any IPv4 form (127.1, 0x7f.0.0.1) as a socket reads it.
  if (parseIpLiteral(parsed.hostname)) {
    const refusal = describeRefusedAddress(parsed.hostname, opts.allowList ?? []);
    if (refusal) {
      throw new DomainError(
        "BAD_REQUEST",
        `url: ${refusal} (ENDPOINT_ALLOW_PRIVATE_NETWORKS can allow a range)`,
      );
    }
  }
}
