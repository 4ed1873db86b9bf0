import { useQuery } from "@tanstack/react-query";
import { trpc } from "./trpc.ts";

/** Staff only: a clinic's name from its id (the id itself until the list has loaded). */
export function useClinicName(): (clinicId: string) => string {
  const clinics = useQuery(trpc.clinics.list.queryOptions(undefined, { staleTime: 60_000 }));
  return (clinicId) => clinics.data?.find((clinic) => clinic.id === clinicId)?.name ?? clinicId;
}
