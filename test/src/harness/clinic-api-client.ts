import type { ClinicRouter } from "@claimwire/clinic-api";
import { createTRPCClient, httpLink } from "@trpc/client";

/** The clinic's own tRPC API (what its web app calls), typed by its router. */
export type ClinicApiClient = ReturnType<typeof createClinicApiClient>;

/**
 * A client of the clinic's tRPC API at `<clinicUrl>/api/trpc`: what a test may know about
 * the clinic is what this API (or its pages) shows, never its database file.
 */
export function createClinicApiClient(clinicUrl: string) {
  return createTRPCClient<ClinicRouter>({
    links: [httpLink({ url: `${clinicUrl.replace(/\/+$/, "")}/api/trpc` })],
  });
}

type ClinicClaimDetail = Awaited<ReturnType<ClinicApiClient["claims"]["byId"]["query"]>>;

/**
 * The clinic's view of one claim, or undefined while the clinic does not know it (its API
 * answers NOT_FOUND then).
 */
export async function clinicClaim(
  api: ClinicApiClient,
  claimId: string,
): Promise<ClinicClaimDetail | undefined> {
  try {
    return await api.claims.byId.query({ claimId });
  } catch (err) {
    if ((err as { data?: { code?: string } }).data?.code === "NOT_FOUND") return undefined;
    throw err;
  }
}

/** Every claim the clinic lists, each with its timeline, inbox messages and notifications. */
export async function clinicClaims(api: ClinicApiClient): Promise<ClinicClaimDetail[]> {
  const list = await api.claims.list.query();
  return Promise.all(list.map((claim) => api.claims.byId.query({ claimId: claim.id })));
}
