import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createWebAppRoutes } from "./web-app-routes.ts";

let dir: string;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A built app as Vite writes it: index.html and hashed assets. */
function builtApp() {
  dir = mkdtempSync(join(tmpdir(), "clinic-web-"));
  mkdirSync(join(dir, "assets"));
  writeFileSync(
    join(dir, "index.html"),
    '<!doctype html><html><body><div id="root"></div><script src="/assets/index-abc.js"></script></body></html>',
  );
  writeFileSync(join(dir, "assets", "index-abc.js"), "console.log('app')");
  return createWebAppRoutes({ dir });
}

describe("the web app", () => {
  it("serves index.html at / and for every page the app routes itself", async () => {
    const app = builtApp();
    for (const path of ["/", "/claims/new", "/claims/clm_01ABC", "/p/some-patient-token"]) {
      const response = await app.request(path);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^text\/html/);
      expect(await response.text()).toContain('<div id="root">');
    }
  });

  it("keeps patient links out of Referer headers", async () => {
    const response = await builtApp().request("/p/some-patient-token");
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
  });

  it("serves built assets with long caching, and 404s unknown files", async () => {
    const app = builtApp();
    const asset = await app.request("/assets/index-abc.js");
    expect(asset.status).toBe(200);
    expect(asset.headers.get("content-type")).toMatch(/^text\/javascript/);
    expect(asset.headers.get("cache-control")).toContain("immutable");
    expect((await app.request("/assets/missing.js")).status).toBe(404);
  });

  it("never serves a file outside the app's folder", async () => {
    const app = builtApp();
    writeFileSync(join(dir, "..", "secret.txt"), "no");
    try {
      for (const path of ["/../secret.txt", "/%2e%2e/secret.txt", "/assets/..%2f..%2fsecret.txt"]) {
        const response = await app.request(path);
        expect(await response.text()).not.toBe("no");
      }
    } finally {
      rmSync(join(dir, "..", "secret.txt"), { force: true });
    }
  });

  it("says how to build the app instead of failing before its first build", async () => {
    dir = mkdtempSync(join(tmpdir(), "clinic-web-"));
    const app = createWebAppRoutes({ dir: join(dir, "dist") });
    const response = await app.request("/");
    expect(response.status).toBe(503);
    expect(await response.text()).toContain("pnpm --filter @claimwire/clinic-web build");
  });

  it("leaves the API and the receiver to their own routes", async () => {
    const app = builtApp();
    expect((await app.request("/api/trpc/nothing")).status).toBe(404);
    expect((await app.request("/webhooks/insurer")).status).toBe(404);
  });
});
