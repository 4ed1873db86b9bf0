import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { serveSpa } from "./serve-spa.ts";

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

const PAGE = `<!doctype html><html><body><div id="root"></div>${"<!-- padding -->".repeat(100)}</body></html>`;

/** A built app as Vite writes it: index.html and hashed assets. */
function built(options: { basePath?: string; exclude?: string[] } = {}) {
  dir = mkdtempSync(join(tmpdir(), "serve-spa-"));
  mkdirSync(join(dir, "assets"));
  writeFileSync(join(dir, "index.html"), PAGE);
  writeFileSync(join(dir, "assets", "app-1a2b.js"), "console.log('app')");
  return serveSpa({
    root: dir,
    ...options,
    htmlHeaders: { "referrer-policy": "no-referrer" },
    notBuilt: (c) => c.text("not built", 503),
  });
}

describe("serveSpa", () => {
  it("answers every route of the app with its page", async () => {
    const app = built({ basePath: "/console" });
    for (const path of ["/console/", "/console/queue", "/console/endpoints/ep_1?tab=log"]) {
      const res = await app.request(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(res.headers.get("referrer-policy")).toBe("no-referrer");
      expect(res.headers.get("cache-control")).toBe("no-cache");
      expect(await res.text()).toBe(PAGE);
    }
    const bare = await app.request("/console?x=1");
    expect(bare.status).toBe(308);
    expect(bare.headers.get("location")).toBe("/console/?x=1");
  });

  it("serves assets for a year, and 404s a missing one instead of the page", async () => {
    const app = built();
    const asset = await app.request("/assets/app-1a2b.js");
    expect(asset.status).toBe(200);
    expect(asset.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(asset.headers.get("cache-control")).toContain("immutable");
    expect(asset.headers.get("referrer-policy")).toBeNull();
    const missing = await app.request("/assets/missing.js");
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toBe("text/plain; charset=utf-8");
  });

  it("revalidates with an ETag and gzips for clients that take it", async () => {
    const app = built();
    const plain = await app.request("/");
    const tag = plain.headers.get("etag");
    expect(tag).toBeTruthy();
    const again = await app.request("/", { headers: { "if-none-match": tag! } });
    expect(again.status).toBe(304);
    const gzipped = await app.request("/", { headers: { "accept-encoding": "gzip" } });
    expect(gzipped.headers.get("content-encoding")).toBe("gzip");
    expect(gunzipSync(Buffer.from(await gzipped.arrayBuffer())).toString()).toBe(PAGE);
  });

  it("refuses other methods and paths that could leave the folder", async () => {
    const app = built();
    const post = await app.request("/", { method: "POST" });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD");
    for (const path of ["/assets/..%2f..%2fsecret", "/%00index.html", "/..%5cx", "/%E0%A4%A"]) {
      expect((await app.request(path)).status, path).toBe(400);
    }
  });

  it("leaves excluded paths to their own routes", async () => {
    const app = built({ exclude: ["/api", "/webhooks"] });
    expect((await app.request("/api/trpc/x")).status).toBe(404);
    expect((await app.request("/webhooks/insurer")).status).toBe(404);
  });

  it("answers the not-built page before the first build, or without the package", async () => {
    dir = mkdtempSync(join(tmpdir(), "serve-spa-"));
    const empty = serveSpa({ root: dir, notBuilt: (c) => c.text("not built", 503) });
    expect((await empty.request("/claims/1")).status).toBe(503);
    const absent = serveSpa({ root: null, notBuilt: (c) => c.text("not built", 503) });
    expect((await absent.request("/")).status).toBe(503);
  });
});
