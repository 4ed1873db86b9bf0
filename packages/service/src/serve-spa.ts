import { existsSync } from "node:fs";
import { extname } from "node:path";
import { serveStatic } from "@hono/node-server/serve-static";
import { type Context, Hono, type MiddlewareHandler } from "hono";
import { compress } from "hono/compress";
import { etag } from "hono/etag";
import { getMimeType } from "hono/utils/mime";
import { decodeSafePath, hasDotDotSegment } from "./safe-path.ts";

export type ServeSpaOptions = {
  /** The built app (Vite's dist/); null when the app's package is not installed. */
  root: string | null;
  /** Where the app lives: "" for the site's root, or a prefix such as "/console". */
  basePath?: string;
  /** Paths that belong to other routes (the API's): a 404 there, never the app's page. */
  exclude?: readonly string[];
  /** Headers of the app's HTML page (Content-Security-Policy, Referrer-Policy). */
  htmlHeaders?: Record<string, string>;
  /** The answer while the app is not built (no index.html in `root`). */
  notBuilt: (c: Context) => Response | Promise<Response>;
};

const TEXT = { "content-type": "text/plain; charset=utf-8" };

/**
 * A built single-page app (Vite's output) served by @hono/node-server's `serveStatic`,
 * with `index.html` for every other path below `basePath`, so deep links and reloads load
 * the app, which routes in the browser. A missing asset (a path with a known file
 * extension) is a 404, never the page under a script's name. Vite names assets by content
 * hash, so `assets/` is cached for a year; everything else is revalidated (ETag) so a new
 * build shows at once. Compressible answers over 1 KB are gzipped for clients that take it.
 * Only GET and HEAD; a path that could leave `root` is a 400.
 *
 * @example
 * ```ts
 * app.route("/", serveSpa({ root: "dist", basePath: "/console", notBuilt: (c) => c.text("build it", 404) }));
 * ```
 */
export function serveSpa({
  root,
  basePath = "",
  exclude = [],
  htmlHeaders = {},
  notBuilt,
}: ServeSpaOptions): Hono {
  const app = new Hono();
  const below = `${basePath}/`;
  const relativeOf = (path: string) => path.slice(below.length);

  if (basePath !== "") {
    app.all(basePath, (c) => {
      const query = new URL(c.req.url).search;
      return c.body(null, 308, { location: `${below}${query}` });
    });
  }
  // A URL parser resolves '..' before routing; refuse it from the raw target instead,
  // so `/console/../package.json` is the same 400 as its %-encoded spellings.
  app.use("*", async (c, next) => {
    const raw = (c.env as { incoming?: { url?: string } } | undefined)?.incoming?.url;
    if (raw?.startsWith(below) && hasDotDotSegment(raw)) return badPath(c);
    await next();
  });
  app.use(`${below}*`, async (c, next) => {
    const path = c.req.path;
    if (exclude.some((prefix) => path === prefix || path.startsWith(`${prefix}/`))) {
      return c.notFound();
    }
    if (c.req.method !== "GET" && c.req.method !== "HEAD") {
      return c.body("Method not allowed\n", 405, { allow: "GET, HEAD", ...TEXT });
    }
    const raw = c.req.url.slice(c.req.url.indexOf(below, c.req.url.indexOf("//") + 2));
    if (decodeSafePath(relativeOf(raw.split("?", 1)[0] ?? "")) === null) return badPath(c);
    if (root === null || !existsSync(root)) return notBuilt(c);
    await next();
  });
  app.use(`${below}*`, compress());
  app.use(`${below}*`, etag());
  app.use(`${below}*`, async (c, next) => {
    await next();
    if (!c.res.ok) return;
    const html = c.res.headers.get("content-type")?.startsWith("text/html") ?? false;
    const immutable = !html && relativeOf(c.req.path).startsWith("assets/");
    c.header("cache-control", immutable ? "public, max-age=31536000, immutable" : "no-cache");
    c.header("x-content-type-options", "nosniff");
    c.header("vary", "accept-encoding");
    if (html) for (const [name, value] of Object.entries(htmlHeaders)) c.header(name, value);
  });
  // Made on first use: serveStatic complains on stderr about a root that does not exist
  // yet, which is normal before the app's first build.
  let files: MiddlewareHandler | undefined;
  let page: MiddlewareHandler | undefined;
  app.get(
    `${below}*`,
    (c, next) => {
      files ??= serveStatic({ root: root!, rewriteRequestPath: (path) => `/${relativeOf(path)}` });
      return files(c, next);
    },
    (c, next) => {
      const extension = extname(relativeOf(c.req.path));
      const asset = extension !== "" && extension !== ".html" && !!getMimeType(extension);
      return asset ? c.body("Not found\n", 404, TEXT) : next();
    },
    (c, next) => {
      page ??= serveStatic({ root: root!, path: "index.html" });
      return page(c, next);
    },
    (c) => notBuilt(c),
  );
  return app;
}

function badPath(c: Context): Response {
  return c.body(
    "Bad path: it must not contain '..', '\\', NUL or malformed %-escapes\n",
    400,
    TEXT,
  );
}
