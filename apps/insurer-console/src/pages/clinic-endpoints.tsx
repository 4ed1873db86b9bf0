import { useClinicName } from "../clinic-names.ts";
import { EndpointList } from "../components/endpoint-list.tsx";
import { Link } from "../navigation.tsx";
import { paths } from "../routes.ts";

/** One clinic's endpoints with their health (staff). */
export function ClinicEndpointsPage({ clinicId }: { clinicId: string }) {
  const clinicName = useClinicName();
  return (
    <>
      <p className="breadcrumb">
        <Link to={paths.clinics()}>Clinics</Link>
      </p>
      <h1>{clinicName(clinicId)}: endpoints</h1>
      <EndpointList clinicId={clinicId} />
    </>
  );
}
