import { Link } from "wouter";
import { useClinicName } from "../clinic-names.ts";
import { EndpointList } from "../components/endpoint-list.tsx";
import { paths } from "../paths.ts";

/** One clinic's endpoints with their health (staff). */
export function ClinicEndpointsPage({ clinicId }: { clinicId: string }) {
  const clinicName = useClinicName();
  return (
    <>
      <p className="breadcrumb">
        <Link href={paths.clinics()}>Clinics</Link>
      </p>
      <h1>{clinicName(clinicId)}: endpoints</h1>
      <EndpointList clinicId={clinicId} />
    </>
  );
}
