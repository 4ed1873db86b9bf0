/**
 * The URL of each view, below the console's base (/console/): what links point to. The
 * ids are escaped, so any id makes one path segment.
 */
export const paths = {
  home: () => "/",
  queue: () => "/queue",
  overview: () => "/overview",
  claim: (claimId: string) => `/claims/${encodeURIComponent(claimId)}`,
  clinics: () => "/clinics",
  clinic: (clinicId: string) => `/clinics/${encodeURIComponent(clinicId)}`,
  endpoints: () => "/endpoints",
  endpoint: (endpointId: string) => `/endpoints/${encodeURIComponent(endpointId)}`,
};
