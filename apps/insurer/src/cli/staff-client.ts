import { createInsurerClient, type InsurerClient } from "@claimwire/sdk";
import { TRPCClientError } from "@trpc/client";
import { UsageError } from "./cli-args.ts";

/** The insurer's API as the staff key sees it: the SDK's typed client. */
export type StaffClient = InsurerClient;

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

/** The SDK's typed client with the staff key (`url` is the tRPC URL trpcUrl made). */
export function createStaffClient({
  url,
  staffKey,
  fetch,
}: {
  url: string;
  staffKey: string;
  fetch?: typeof globalThis.fetch;
}): StaffClient {
  return createInsurerClient({
    baseUrl: url.replace(/\/trpc$/, ""),
    apiKey: staffKey,
    ...(fetch ? { fetch } : {}),
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
