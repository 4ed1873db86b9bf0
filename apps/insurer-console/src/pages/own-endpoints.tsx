import { EndpointList } from "../components/endpoint-list.tsx";

/** The signed-in clinic's own endpoints with their health (clinic). */
export function OwnEndpointsPage() {
  return (
    <>
      <h1>Your endpoints</h1>
      <EndpointList />
    </>
  );
}
