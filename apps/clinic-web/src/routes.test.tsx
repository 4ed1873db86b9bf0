import { QueryClientProvider } from "@tanstack/react-query";
import { renderToStaticMarkup } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { describe, expect, it } from "vitest";
import { Router } from "wouter";
import type { Language } from "./i18n/catalogue.ts";
import { createI18n } from "./i18n/i18n.ts";
import { AppRoutes } from "./routes.tsx";
import { createClinicClient, createQueryClient, TRPCProvider } from "./trpc.ts";

/**
 * Renders the app as it first paints at `path` (nothing fetched yet): the page's text,
 * its links, and what it asked the clinic's API for.
 */
function openAt(path: string, language: Language = "en") {
  const queryClient = createQueryClient();
  const html = renderToStaticMarkup(
    <I18nextProvider i18n={createI18n(language)}>
      <QueryClientProvider client={queryClient}>
        <TRPCProvider trpcClient={createClinicClient()} queryClient={queryClient}>
          <Router ssrPath={path}>
            <AppRoutes />
          </Router>
        </TRPCProvider>
      </QueryClientProvider>
    </I18nextProvider>,
  );
  const text = html
    .replace(/<[^>]+>/g, " ")
    .replaceAll("&#x27;", "'")
    .replace(/\s+/g, " ")
    .trim();
  const links = [...html.matchAll(/<a ([^>]*)>(.*?)<\/a>/g)].map(([, attributes = "", label]) => ({
    label,
    href: /href="([^"]*)"/.exec(attributes)?.[1],
    current: attributes.includes('aria-current="page"'),
  }));
  const asked = queryClient
    .getQueryCache()
    .getAll()
    .map((query) => query.queryKey);
  return { text, links, asked };
}

const currentNav = (path: string) =>
  openAt(path)
    .links.filter((link) => link.current)
    .map((link) => link.label);

describe("which page each URL shows", () => {
  it("the claims list at / and /claims, marked as the current page in the navigation", () => {
    for (const path of ["/", "/claims", "/claims/"]) {
      expect(openAt(path).text, path).toContain("Claims New claim");
      expect(openAt(path).text, path).toContain("Loading claims…");
      expect(currentNav(path), path).toEqual(["Claims"]);
    }
  });

  it("the claim form at /claims/new, loaded on demand", () => {
    expect(openAt("/claims/new").text).toContain("Loading the form…");
    expect(currentNav("/claims/new")).toEqual(["New claim"]);
  });

  it("a claim at /claims/<id>, asking the API for that id, escapes decoded", () => {
    const page = openAt("/claims/clm_01JDQ7%2Fx");
    expect(page.text).toContain("Loading the claim…");
    expect(page.asked).toContainEqual([
      ["claims", "byId"],
      { input: { claimId: "clm_01JDQ7/x" }, type: "query" },
    ]);
    // A malformed escape is passed on as typed: the API says no claim has that id.
    expect(openAt("/claims/%E0%A4%A").asked).toContainEqual([
      ["claims", "byId"],
      { input: { claimId: "%E0%A4%A" }, type: "query" },
    ]);
    expect(currentNav("/claims/clm_01JDQ7")).toEqual([]);
  });

  it("the inbox at /inbox, asking the API for the latest messages", () => {
    const page = openAt("/inbox");
    expect(page.text).toContain("Loading the inbox…");
    expect(page.asked).toContainEqual([["inbox", "recent"], { type: "query" }]);
    expect(currentNav("/inbox")).toEqual(["Inbox"]);
  });

  it("the patient's page at /p/<token>, alone: no staff navigation, no skip link", () => {
    const page = openAt("/p/Zm9vYmFy_-");
    expect(page.text).toBe("Language English Русский Loading your claim…");
    expect(page.links).toEqual([]);
    expect(page.asked).toContainEqual([
      ["patient", "status"],
      { input: { token: "Zm9vYmFy_-" }, type: "query" },
    ]);
    expect(openAt("/p/Zm9vYmFy_-", "ru").text).toBe(
      "Язык English Русский Загружаем ваше обращение…",
    );
  });

  it("'Page not found' for anything else, with the staff navigation to go on from", () => {
    for (const path of ["/no/such/page", "/claims/clm_01JDQ7/extra", "/p/", "/p/a/b"]) {
      const page = openAt(path);
      expect(page.text, path).toContain("Page not found");
      expect(page.links.find((link) => link.label === "Go to the claims.")?.href, path).toBe("/");
    }
  });

  it("links are plain anchors to the same URLs: the skip link first, then the navigation", () => {
    expect(openAt("/").links.slice(0, 4)).toEqual([
      { label: "Skip to main content", href: "#main", current: false },
      { label: "Clinic claims", href: "/", current: false },
      { label: "Claims", href: "/", current: true },
      { label: "New claim", href: "/claims/new", current: false },
    ]);
  });
});
