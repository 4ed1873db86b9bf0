import type { InsurerClient } from "@claimwire/sdk";

/** A procedure's `query`/`mutate` returning a plain Promise (tRPC's is a tagged one). */
type PlainCall<F> = F extends (input: infer I, ...rest: never[]) => Promise<infer O>
  ? (input: I) => Promise<O>
  : never;
type Plain<P> = { [K in keyof P]: PlainCall<P[K]> };

/**
 * The part of the insurer API the clinic calls, derived from the SDK's client so it cannot
 * drift from the router. The SDK's client satisfies it; tests at this edge may pass plain
 * async functions instead.
 */
export type ClinicInsurerApi = {
  claims: { submit: Plain<InsurerClient["claims"]["submit"]> };
  endpoints: {
    list: Plain<InsurerClient["endpoints"]["list"]>;
    create: Plain<InsurerClient["endpoints"]["create"]>;
    delete: Plain<InsurerClient["endpoints"]["delete"]>;
  };
  /** The event feed, read by reconciliation (src/reconciliation). */
  events: { list: Plain<InsurerClient["events"]["list"]> };
};
