import type { Store } from "@claimwire/insurer-db";
import { eq } from "drizzle-orm";
import type { Principal } from "./api-keys.ts";
import { DomainError } from "./domain-error.ts";

/**
 * The clinic an administrative call is about. A clinic acts on itself: naming another
 * clinic is NOT_FOUND (existence is not revealed). Staff must name one that exists.
 */
export async function targetClinicId(
  store: Store,
  viewer: Principal,
  requested: string | undefined,
): Promise<string> {
  const notFound = () => new DomainError("NOT_FOUND", `No clinic with id '${requested}'`);
  if (viewer.role === "clinic") {
    if (requested !== undefined && requested !== viewer.clinicId) throw notFound();
    return viewer.clinicId;
  }
  if (requested === undefined) {
    throw new DomainError("BAD_REQUEST", "clinicId: required with the insurer staff key");
  }
  const { clinics } = store.tables;
  const [found] = await store.db
    .select({ id: clinics.id })
    .from(clinics)
    .where(eq(clinics.id, requested));
  if (!found) throw notFound();
  return requested;
}
