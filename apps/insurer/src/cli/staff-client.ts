import type { AppRouter } from "@claimwire/insurer-api";
import { createTRPCClient, httpBatchLink, type TRPCClient, TRPCClientError } from "@trpc/client";
import { UsageError } from "./cli-args.ts";

/** The insurer's API as the staff key sees it, typed by the router (types only). */
export type StaffClient = TRPCClient<AppRouter>;

/** The insurer refused the call or could not be reached; `runCli` prints it and exits 1. */
export class InsurerCallError extends Error {}

/**
 * `http://host:4000/trpc` or `http://host:4000` → `http://host:4000/trpc`. Throws a
 * `UsageError` naming INSURER_URL when it is not a URL.
 */
export function trpcUrl(insurerUrl: string): string {
  let url: URL;
  try {
    url = new URL(insurerUrl);
  } catch {
    throw new UsageError(`INSURER_URL is not a URL: '${insurerUrl}'`);
  }
  const path = url.pathname.replace(/\/+$/, "").replace(/\/trpc$/, "");
  return `${url.origin}${path}/trpc`;
}

/**
 * A tRPC client with the staff key, built as the SDK's `createInsurerClient` is. The CLI
 * cannot use the SDK itself: the SDK takes the insurer's router type from this package,
 * and a dependency back on the SDK would make the workspace graph cyclic.
 */
export function createStaffClient({
  url,
  staffKey,
  fetch,
}: {
  url: string;
  staffKey: string;
  fetch?: typeof globalThis.fetch;
}): StaffClient {
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url,
        headers: { authorization: `Bearer ${staffKey}` },
        ...(fetch ? { fetch } : {}),
      }),
    ],
  });
}

/**
 * Turns a failed call into what the CLI prints: the insurer's code and message when it
 * answered (`NOT_FOUND: No clinic with id 'cln_…'`), the network error when it could not
 * be reached. Anything that is not a tRPC client error is returned as it is (a bug).
 */
export function describeCallFailure(error: unknown, url: string): unknown {
  if (!(error instanceof TRPCClientError)) return error;
  const code: unknown = error.data?.code;
  if (typeof code === "string") return new InsurerCallError(`${code}: ${error.message}`);
  const network = rootCause(error);
  if (network !== error) {
    return new InsurerCallError(`cannot reach the insurer at ${url}: ${network.message}`);
  }
  return new InsurerCallError(`unexpected answer from the insurer at ${url}: ${error.message}`);
}

/** fetch wraps the socket's error ("connect ECONNREFUSED …") in a "fetch failed" TypeError. */
function rootCause(error: Error): Error {
  let current = error;
  while (current.cause instanceof Error) current = current.cause;
  return current;
}
