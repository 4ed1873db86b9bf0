import type { Clinic } from "@claimwire/contracts";
import { newId } from "@claimwire/ids";
import { apiKeys, clinics } from "@claimwire/insurer-db";
import { asc, eq } from "drizzle-orm";
import { generateApiKey, hashApiKey, storeApiKey } from "./api-keys.ts";
import type { Services } from "./services.ts";

/** Every clinic, oldest first (staff: the console's clinic picker). */
export function listClinics(services: Services): Clinic[] {
  return services.db
    .select({ id: clinics.id, name: clinics.name, createdAt: clinics.createdAt })
    .from(clinics)
    .orderBy(asc(clinics.createdAt), asc(clinics.id))
    .all();
}

/** Registers a clinic and its first API key; the key is returned here only. */
export function createClinic(services: Services, name: string): { clinic: Clinic; apiKey: string } {
  const apiKey = generateApiKey();
  const clinic = { id: newId("clinic"), name, createdAt: new Date().toISOString() };
  services.db.transaction((tx) => {
    tx.insert(clinics).values(clinic).run();
    storeApiKey(tx, clinic.id, apiKey, clinic.createdAt);
  });
  return { clinic, apiKey };
}

/**
 * Makes sure a clinic answers to a known API key (the demo clinic of a dev setup):
 * returns the clinic that key belongs to, creating both on first start.
 */
export function ensureClinicWithKey(services: Services, name: string, apiKey: string): Clinic {
  return services.db.transaction(
    (tx) => {
      const existing = tx
        .select({ id: clinics.id, name: clinics.name, createdAt: clinics.createdAt })
        .from(apiKeys)
        .innerJoin(clinics, eq(clinics.id, apiKeys.clinicId))
        .where(eq(apiKeys.keyHash, hashApiKey(apiKey)))
        .get();
      if (existing) return existing;
      const clinic = { id: newId("clinic"), name, createdAt: new Date().toISOString() };
      tx.insert(clinics).values(clinic).run();
      storeApiKey(tx, clinic.id, apiKey, clinic.createdAt);
      return clinic;
    },
    { behavior: "immediate" },
  );
}
