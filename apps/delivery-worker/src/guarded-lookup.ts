import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from "node:dns";
import type { LookupFunction } from "node:net";
import { SsrfBlockedError, type SsrfGuard } from "./ssrf-guard.ts";

/** Resolves every address of a hostname; `dns.lookup` with `all: true` by default. */
export type ResolveAll = (
  hostname: string,
  options: LookupAllOptions,
  callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

const resolveWithDns: ResolveAll = (hostname, options, callback) =>
  dnsLookup(hostname, options, callback);

/**
 * A `lookup` for `net.connect`/`tls.connect` that resolves once and hands the socket only
 * addresses the guard allows. The socket dials exactly what this returns, so there is no
 * second resolution an attacker's DNS could answer differently (DNS rebinding). Blocked
 * addresses are dropped; if none is left the connection fails with `SsrfBlockedError`
 * naming the first one.
 *
 * @example
 * net.connect({ host: "hooks.clinic.example", port: 443, lookup: guardedLookup(guard) });
 */
export function guardedLookup(guard: SsrfGuard, resolve = resolveWithDns): LookupFunction {
  return (hostname, options, callback) => {
    // Always ask for every address so a private one cannot hide behind a public one.
    resolve(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, options.all ? [] : "");
      const refusals = addresses.map(({ address }) => guard(address));
      const allowed = addresses.filter((_, i) => refusals[i] === null);
      const first = allowed[0];
      if (!first) {
        const refusal = refusals.find((r) => r !== null);
        const error = refusal
          ? new SsrfBlockedError(refusal)
          : Object.assign(new Error(`${hostname} resolved to no address`), { code: "ENOTFOUND" });
        return callback(error, options.all ? [] : "");
      }
      if (options.all) return callback(null, allowed);
      callback(null, first.address, first.family);
    });
  };
}
