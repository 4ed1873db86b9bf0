/** Every view of the console and the path it lives at (below /console/). */
export type Route =
  | { view: "home" }
  | { view: "queue" }
  | { view: "claim"; claimId: string }
  | { view: "clinics" }
  | { view: "clinic"; clinicId: string }
  | { view: "endpoints" }
  | { view: "endpoint"; endpointId: string }
  | { view: "not-found"; path: string };

export function matchRoute(path: string): Route {
  let parts: string[];
  try {
    parts = path.split("/").map((part) => decodeURIComponent(part));
  } catch {
    return { view: "not-found", path }; // a malformed %-escape
  }
  const [first, second, ...rest] = parts;
  if (rest.length > 0) return { view: "not-found", path };
  if (!first) return { view: "home" };
  if (first === "queue" && !second) return { view: "queue" };
  if (first === "claims" && second) return { view: "claim", claimId: second };
  if (first === "clinics")
    return second ? { view: "clinic", clinicId: second } : { view: "clinics" };
  if (first === "endpoints") {
    return second ? { view: "endpoint", endpointId: second } : { view: "endpoints" };
  }
  return { view: "not-found", path };
}

export const paths = {
  queue: () => "queue",
  claim: (claimId: string) => `claims/${encodeURIComponent(claimId)}`,
  clinics: () => "clinics",
  clinic: (clinicId: string) => `clinics/${encodeURIComponent(clinicId)}`,
  endpoints: () => "endpoints",
  endpoint: (endpointId: string) => `endpoints/${encodeURIComponent(endpointId)}`,
};
