import { QueryClientProvider } from "@tanstack/react-query";
import { renderToStaticMarkup } from "react-dom/server";
import { afterEach, describe, expect, it } from "vitest";
import { Router } from "wouter";
import type { RouterOutputs } from "./app-router.ts";
import { Layout } from "./components/layout.tsx";
import { ConsoleRoutes } from "./console-routes.tsx";
import { paths } from "./paths.ts";
import { queryClient } from "./trpc.ts";

type Principal = RouterOutputs["me"];
const STAFF: Principal = { role: "insurer" };
const CLINIC: Principal = { role: "clinic", clinicId: "cln_01JDQ7" };

afterEach(() => queryClient.clear());

/**
 * Renders the console as it first paints at `url` for `principal` (nothing fetched yet):
 * the view's text, its links, and what it asked the insurer's API for.
 */
function openAt(url: string, principal: Principal = STAFF) {
  const html = renderToStaticMarkup(
    <QueryClientProvider client={queryClient}>
      <Router base="/console" ssrPath={url}>
        <Layout principal={principal} onSignOut={() => {}}>
          <ConsoleRoutes principal={principal} />
        </Layout>
      </Router>
    </QueryClientProvider>,
  );
  const main = /<main[^>]*>(.*)<\/main>/s.exec(html)?.[1] ?? "";
  const text = main
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  const links = [...html.matchAll(/<a ([^>]*)>(.*?)<\/a>/g)].map(([, attributes = "", label]) => ({
    label: label?.replace(/<[^>]+>/g, ""),
    href: /href="([^"]*)"/.exec(attributes)?.[1],
    current: attributes.includes('aria-current="page"'),
  }));
  const asked = queryClient
    .getQueryCache()
    .getAll()
    .map((query) => query.queryKey);
  const current = links.filter((link) => link.current).map((link) => link.label);
  return { text, links, asked, current };
}

describe("which view each URL below /console/ shows", () => {
  it("staff start at the review queue; a clinic at its own endpoints", () => {
    expect(openAt("/console/").text).toBe("Review queue Loading the review queue…");
    expect(openAt("/console/").current).toEqual(["Review queue"]);
    expect(openAt("/console/", CLINIC).text).toBe("Your endpoints Loading endpoints…");
    expect(openAt("/console/", CLINIC).current).toEqual(["Endpoints"]);
  });

  it("a claim at /console/claims/<id>, in the review queue's section", () => {
    const view = openAt("/console/claims/clm_01JDQ7");
    expect(view.text).toContain("Claim clm_01JDQ7");
    expect(view.current).toEqual(["Review queue"]);
  });

  it("a clinic's endpoints, and one endpoint, with their ids decoded", () => {
    const clinic = openAt("/console/clinics/cln_01JDQ7%2Fx/");
    expect(clinic.text).toContain("cln_01JDQ7/x: endpoints");
    expect(clinic.current).toEqual(["Clinics"]);
    const endpoint = openAt("/console/endpoints/ep_01JDQ7");
    expect(endpoint.text).toContain("Endpoint ep_01JDQ7");
    expect(endpoint.asked).toContainEqual([
      ["endpoints", "byId"],
      { input: { endpointId: "ep_01JDQ7" }, type: "query" },
    ]);
  });

  it("staff's delivery overview at /console/overview, asking ops.overview", () => {
    const view = openAt("/console/overview");
    expect(view.text).toBe("Delivery overview Loading the overview…");
    expect(view.current).toEqual(["Delivery overview"]);
    expect(view.asked).toContainEqual([["ops", "overview"], { type: "query" }]);
  });

  it("trailing slashes change nothing", () => {
    expect(openAt("/console/queue/").text).toBe(openAt("/console/queue").text);
    expect(openAt("/console/clinics/").text).toBe("Clinics Loading clinics…");
  });

  it("staff views are refused to a clinic, which keeps its own endpoint view", () => {
    for (const url of [
      "/console/queue",
      "/console/overview",
      "/console/claims/clm_01JDQ7",
      "/console/clinics",
    ]) {
      expect(openAt(url, CLINIC).text, url).toContain("Not here This view is for insurer staff.");
    }
    expect(openAt("/console/endpoints", CLINIC).text).toBe("Your endpoints Loading endpoints…");
    expect(openAt("/console/endpoints/ep_01JDQ7", CLINIC).text).toContain("Endpoint ep_01JDQ7");
  });

  it("'Not here' for any other path, naming it, with a link back to the start", () => {
    for (const url of ["/console/no/such/view", "/console/claims", "/console/queue/extra"]) {
      const view = openAt(url);
      expect(view.text, url).toContain(`Not here Nothing lives at ${url}.`);
      expect(view.links.find((link) => link.label === "Back to the start")?.href).toBe("/console/");
    }
  });
});

describe("links", () => {
  it("are plain anchors to the same URLs as before, below /console/", () => {
    expect(openAt("/console/queue").links.map(({ label, href }) => ({ label, href }))).toEqual([
      { label: "Skip to content", href: "#content" },
      { label: "claimwire console", href: "/console/" },
      { label: "Review queue", href: "/console/queue" },
      { label: "Delivery overview", href: "/console/overview" },
      { label: "Clinics", href: "/console/clinics" },
    ]);
  });

  it("escape ids so that each stays one path segment", () => {
    expect(paths.claim("clm_01JDQ7")).toBe("/claims/clm_01JDQ7");
    expect(paths.endpoint("ep/1?x")).toBe("/endpoints/ep%2F1%3Fx");
    expect(paths.clinic("cln 1")).toBe("/clinics/cln%201");
  });
});
