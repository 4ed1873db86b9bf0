import type { Endpoint } from "@claimwire/contracts";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { EndpointHealth } from "./endpoint-health.tsx";

const endpoint: Endpoint = {
  id: "ep_01JDQ6Z7Y8X9W0V1T2S3R4Q5P6",
  clinicId: "cln_01JDQ7",
  url: "https://clinic.example/hooks",
  eventTypes: ["claim.*"],
  description: "",
  signatureScheme: "hmac-sha256",
  headers: {},
  rateLimitPerSecond: null,
  payloadFilter: null,
  enabled: true,
  disabledReason: null,
  disabledAt: null,
  failingSince: null,
  createdAt: "2026-12-01T09:00:00.000Z",
};

/** The facts' text, as a reader sees it. */
function factsOf(shown: Endpoint): string {
  return renderToStaticMarkup(<EndpointHealth endpoint={shown} stats={undefined} />)
    .replace(/<[^>]+>/g, " ")
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, " ");
}

describe("EndpointHealth: the payload filter", () => {
  it("shows the filter as JSON, and says when there is none", () => {
    const filtered = factsOf({
      ...endpoint,
      payloadFilter: { "data.total.amount": { $gt: 100000 } },
    });
    expect(filtered).toContain(
      'Payload filter { "data.total.amount": { "$gt": 100000 } } Only events whose body matches are delivered',
    );
    expect(factsOf(endpoint)).toContain("Payload filter None: every event of these types");
  });
});
