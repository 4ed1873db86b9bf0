import type { Clinic } from "@claimwire/contracts";
import { newId } from "@claimwire/ids";
import { asc, eq } from "drizzle-orm";
import { generateApiKey, hashApiKey, storeApiKey } from "./api-keys.ts";
import type { Services } from "./services.ts";

/** Every clinic, oldest first (staff: the console's clinic picker). */
export async function listClinics(services: Services): Promise<Clinic[]> {
  const { clinics } = services.store.tables;
  return services.store.db
    .select({ id: clinics.id, name: clinics.name, createdAt: clinics.createdAt })
    .from(clinics)
    .orderBy(asc(clinics.createdAt), asc(clinics.id));
}

/** Registers a clinic and its first API key; the key is returned here only. */
export async function createClinic(
  services: Services,
  name: string,
): Promise<{ clinic: Clinic; apiKey: string }> {
  const { store } = services;
  const apiKey = generateApiKey();
  const clinic = { id: newId("clinic"), name, createdAt: new Date().toISOString() };
  await store.transaction(async (tx) => {
    await tx.insert(store.tables.clinics).values(clinic);
    await storeApiKey(store, tx, clinic.id, apiKey, clinic.createdAt);
  });
  return { clinic, apiKey };
}

/**
 * Makes sure a clinic answers to a known API key (the demo clinic of a dev setup):
 * returns the clinic that key belongs to, creating both on first start.
 */
export async function ensureClinicWithKey(
  services: Services,
  name: string,
  apiKey: string,
): Promise<Clinic> {
  const { store } = services;
  const { apiKeys, clinics } = store.tables;
  return store.transaction(async (tx) => {
    const [existing] = await tx
      .select({ id: clinics.id, name: clinics.name, createdAt: clinics.createdAt })
      .from(apiKeys)
      .innerJoin(clinics, eq(clinics.id, apiKeys.clinicId))
      .where(eq(apiKeys.keyHash, hashApiKey(apiKey)));
    if (existing) return existing;
    const clinic = { id: newId("clinic"), name, createdAt: new Date().toISOString() };
    await tx.insert(clinics).values(clinic);
    await storeApiKey(store, tx, clinic.id, apiKey, clinic.createdAt);
    return clinic;
  });
}
