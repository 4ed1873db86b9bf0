import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { CONSOLE_BUILD_COMMAND, createConsoleRoutes } from "@claimwire/insurer-api";
import { startTestInsurer, type TestInsurer } from "@claimwire/insurer-api/testing";
import { builtAppDir } from "@claimwire/service";
import { createAdaptorServer } from "@hono/node-server";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

type Answer = {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
};

/**
 * A request with the path sent byte for byte: fetch() would resolve `..` and `%2e%2e`
 * before sending, hiding exactly what a traversal attempt looks like on the wire.
 */
function raw(
  baseUrl: string,
  path: string,
  { method = "GET", headers = {} }: { method?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on("error", reject);
    req.end();
  });
}

describe("the insurer serves the built console at /console/", () => {
  let h: TestInsurer;
  let baseUrl: string;

  beforeAll(async () => {
    // Found as main.ts finds it: through the console package's export of its build.
    const dist = builtAppDir("@claimwire/insurer-console", import.meta.url);
    if (!dist || !existsSync(join(dist, "index.html"))) {
      throw new Error(`The console is not built: run ${CONSOLE_BUILD_COMMAND} first`);
    }
    h = await startTestInsurer({ start: true, consoleDir: dist });
    baseUrl = h.baseUrl!;
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("answers the app's page, and the script and stylesheet it loads", async () => {
    const page = await raw(baseUrl, "/console/");
    expect(page.status).toBe(200);
    expect(page.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(page.headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    const html = page.body.toString();
    expect(html).toContain('<div id="root">');

    const script = /<script[^>]+src="([^"]+)"/.exec(html)?.[1];
    const stylesheet = /<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"/.exec(html)?.[1];
    expect(script).toMatch(/^\/console\/assets\/.+\.js$/);
    expect(stylesheet).toMatch(/^\/console\/assets\/.+\.css$/);

    const js = await raw(baseUrl, script!);
    expect(js.status).toBe(200);
    expect(js.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(js.headers["cache-control"]).toContain("immutable");
    const css = await raw(baseUrl, stylesheet!);
    expect(css.status).toBe(200);
    expect(css.headers["content-type"]).toBe("text/css; charset=utf-8");
  });

  it("answers every route of the app with its page, so deep links and reloads work", async () => {
    const page = (await raw(baseUrl, "/console/")).body.toString();
    for (const path of [
      "/console/queue",
      "/console/endpoints/ep_01JD0000000000000000000000",
      "/console/clinics/cln_01JD0000000000000000000000?tab=log",
    ]) {
      const answer = await raw(baseUrl, path);
      expect(answer.status, path).toBe(200);
      expect(answer.headers["content-type"], path).toBe("text/html; charset=utf-8");
      expect(answer.body.toString(), path).toBe(page);
    }
    const bare = await raw(baseUrl, "/console");
    expect(bare.status).toBe(308);
    expect(bare.headers.location).toBe("/console/");
  });

  it("answers 404 for a missing asset instead of the page under a script's name", async () => {
    const answer = await raw(baseUrl, "/console/assets/no-such-file.js");
    expect(answer.status).toBe(404);
    expect(answer.headers["content-type"]).toBe("text/plain; charset=utf-8");
  });

  it("never serves a file outside dist/, however the path is spelled", async () => {
    for (const path of [
      "/console/../package.json",
      "/console/%2e%2e/package.json",
      "/console/assets/..%2f..%2fpackage.json",
      "/console/%2E%2E%2F%2E%2E%2Fsrc%2Fmain.ts",
      "/console/..%5c..%5cpackage.json",
      "/console/%00index.html",
      "/console/%E0%A4%A",
    ]) {
      const answer = await raw(baseUrl, path);
      expect(answer.status, path).toBe(400);
      expect(answer.body.toString(), path).not.toContain("@claimwire");
    }
  });

  it("gzips for clients that accept it, and revalidates the page with its ETag", async () => {
    const plain = await raw(baseUrl, "/console/");
    const gzipped = await raw(baseUrl, "/console/", { headers: { "accept-encoding": "gzip" } });
    const page = plain.body.toString();
    if (gzipped.headers["content-encoding"] === "gzip") {
      expect(gunzipSync(gzipped.body).toString()).toBe(page);
    } else {
      expect(gzipped.body.toString()).toBe(page); // too small to be worth compressing
    }
    expect(plain.headers["cache-control"]).toBe("no-cache");
    const etag = String(plain.headers.etag);
    const again = await raw(baseUrl, "/console/", { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
  });

  it("refuses methods other than GET and HEAD", async () => {
    const post = await raw(baseUrl, "/console/", { method: "POST" });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe("GET, HEAD");
    const head = await raw(baseUrl, "/console/", { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
  });
});

describe("without a build", () => {
  let dir: string;
  let server: Server;
  let baseUrl: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "claimwire-console-"));
    await writeFile(join(dir, "stray.txt"), "not the app\n");
    const routes = createConsoleRoutes({ distDir: dir, log: pino({ level: "silent" }) });
    server = createAdaptorServer({ fetch: routes.fetch }) as Server;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  it("answers a 404 page that names the build command", async () => {
    for (const path of ["/console/", "/console/queue"]) {
      const answer = await raw(baseUrl, path);
      expect(answer.status, path).toBe(404);
      expect(answer.headers["content-type"]).toBe("text/html; charset=utf-8");
      expect(answer.body.toString()).toContain(CONSOLE_BUILD_COMMAND);
    }
  });

  it("still answers 404 when the console package itself is missing", async () => {
    const routes = createConsoleRoutes({ distDir: null, log: pino({ level: "silent" }) });
    const missing = createAdaptorServer({ fetch: routes.fetch }) as Server;
    await new Promise<void>((resolve) => missing.listen(0, "127.0.0.1", resolve));
    try {
      const port = (missing.address() as AddressInfo).port;
      const answer = await raw(`http://127.0.0.1:${port}`, "/console/");
      expect(answer.status).toBe(404);
      expect(answer.body.toString()).toContain(CONSOLE_BUILD_COMMAND);
    } finally {
      await new Promise((resolve) => missing.close(resolve));
    }
  });

  it("serves the files that are there", async () => {
    const answer = await raw(baseUrl, "/console/stray.txt");
    expect(answer.status).toBe(200);
    expect(answer.body.toString()).toBe("not the app\n");
  });
});
