import { useQuery } from "@tanstack/react-query";
import { Link } from "wouter";
import { ErrorMessage, Loading } from "../components/feedback.tsx";
import { formatDateTime, plural } from "../format.ts";
import { paths } from "../paths.ts";
import { trpc } from "../trpc.ts";

/** Every clinic; each opens its endpoints and their health (staff). */
export function ClinicsPage() {
  const clinics = useQuery(trpc.clinics.list.queryOptions());
  return (
    <>
      <h1>Clinics</h1>
      {clinics.isPending ? <Loading what="clinics" /> : null}
      {clinics.isError ? <ErrorMessage error={clinics.error} /> : null}
      {clinics.data && clinics.data.length === 0 ? <p>No clinics yet.</p> : null}
      {clinics.data && clinics.data.length > 0 ? (
        <div className="table-wrap">
          <table className="cards-on-phone">
            <caption>
              {plural(clinics.data.length, "clinic")}; open one to see its endpoints
            </caption>
            <thead>
              <tr>
                <th scope="col">Clinic</th>
                <th scope="col">Id</th>
                <th scope="col">Since</th>
              </tr>
            </thead>
            <tbody>
              {clinics.data.map((clinic) => (
                <tr key={clinic.id}>
                  <td data-label="Clinic" className="wide">
                    <Link href={paths.clinic(clinic.id)}>{clinic.name}</Link>
                  </td>
                  <td data-label="Id" className="wide id">
                    {clinic.id}
                  </td>
                  <td data-label="Since">{formatDateTime(clinic.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}
