import type { EndpointConfig } from "@claimwire/queue";

/**
 * The keys that sign a request sent at `nowMs`: every current key, then each retiring key
 * whose overlap has not ended. Expiry is judged here, at send time, so
 * an old key stops signing on time with no timer anywhere and no config update needed.
 *
 * @example
 * activeSigningKeys(config, Date.now()); // ["whsec_new…", "whsec_old…"]
 */
export function activeSigningKeys(
  config: Pick<EndpointConfig, "secrets" | "retiringSecrets">,
  nowMs: number,
): string[] {
  const retiring = config.retiringSecrets
    .filter(({ expiresAt }) => Date.parse(expiresAt) > nowMs)
    .map(({ secret }) => secret);
  return [...config.secrets, ...retiring];
}
