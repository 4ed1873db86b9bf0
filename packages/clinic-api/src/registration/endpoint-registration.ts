import type { ClinicDatabase } from "@claimwire/clinic-db";
import { endpointRegistration } from "@claimwire/clinic-db";

export type EndpointRegistration = typeof endpointRegistration.$inferSelect;

/** The clinic's current endpoint at the insurer, if it has registered one. */
export function loadRegistration(db: ClinicDatabase): EndpointRegistration | undefined {
  return db.select().from(endpointRegistration).get();
}

/** Replaces the stored registration (the table holds a single row). */
export function saveRegistration(db: ClinicDatabase, registration: EndpointRegistration): void {
  db.transaction((tx) => {
    tx.delete(endpointRegistration).run();
    tx.insert(endpointRegistration).values(registration).run();
  });
}
