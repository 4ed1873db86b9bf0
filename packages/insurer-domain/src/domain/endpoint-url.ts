import { DomainError } from "./domain-error.ts";

/**
 * Checks an endpoint URL on create and update: http or https only, and
 * https unless `allowHttp` (ENDPOINT_ALLOW_HTTP, for dev and tests); no credentials and no
 * fragment, which a webhook URL has no use for. Addresses are not checked here: a name
 * can resolve elsewhere by the time we send, so the delivery worker checks the address it
 * actually dials (its SSRF guard).
 *
 * @example
 * validateEndpointUrl("http://mis.example/hooks", { allowHttp: false }); // throws BAD_REQUEST
 */
export function validateEndpointUrl(url: string, opts: { allowHttp: boolean }): void {
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
}
