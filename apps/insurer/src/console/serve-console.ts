import { readFile, stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createRequire } from "node:module";
import { dirname, extname, join, resolve, sep } from "node:path";
import { gzipSync } from "node:zlib";
import type { Logger } from "pino";

/**
 * The insurer console (apps/insurer-console, a Vite-built React app) served at /console/:
 * its built files from dist/, and index.html for every other path below /console/ so
 * that deep links (/console/endpoints/ep_…) load the app, which routes in the browser.
 */
export const CONSOLE_PATH = "/console";
export const CONSOLE_BUILD_COMMAND = "pnpm --filter @claimwire/insurer-console build";

/** apps/insurer-console/dist, found through the workspace dependency; null if absent. */
export function defaultConsoleDir(): string | null {
  try {
    const manifest = createRequire(import.meta.url).resolve(
      "@claimwire/insurer-console/package.json",
    );
    return join(dirname(manifest), "dist");
  } catch {
    return null;
  }
}

export function isConsolePath(path: string): boolean {
  return path === CONSOLE_PATH || path.startsWith(`${CONSOLE_PATH}/`);
}

/** The file types a Vite build emits. Any other extension is not a file of ours. */
const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
};
const COMPRESSIBLE = new Set([".html", ".js", ".mjs", ".css", ".map", ".json", ".svg", ".txt"]);

/**
 * The page is the app and nothing else: scripts, styles and API calls from this origin
 * only, and never inside another site's frame (its buttons change endpoints).
 */
const HTML_HEADERS = {
  "content-security-policy":
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; " +
    "frame-ancestors 'none'",
  "referrer-policy": "no-referrer",
};

type CachedFile = { mtimeMs: number; size: number; body: Buffer; gzipped: Buffer | null };

/**
 * Serves GET and HEAD below /console/. Vite names assets by content hash, so files under
 * assets/ are cached for a year; index.html is revalidated on every load (ETag) so a new
 * build shows at once. Compressible files are gzipped once per build and kept in memory
 * (dist/ is a few hundred KB).
 */
export function createConsoleHandler({
  distDir,
  log,
}: {
  /** The built console; null (or a folder without index.html) answers a 404 page. */
  distDir: string | null;
  log: Logger;
}): (req: IncomingMessage, res: ServerResponse) => void {
  const root = distDir === null ? null : resolve(distDir);
  const cache = new Map<string, CachedFile>();

  async function load(file: string): Promise<CachedFile | null> {
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) return null;
    const cached = cache.get(file);
    if (cached && cached.mtimeMs === info.mtimeMs && cached.size === info.size) return cached;
    const body = await readFile(file);
    const gzipped = COMPRESSIBLE.has(extname(file)) && body.length > 1024 ? gzipSync(body) : null;
    const fresh = { mtimeMs: info.mtimeMs, size: info.size, body, gzipped };
    cache.set(file, fresh);
    return fresh;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain; charset=utf-8" });
      res.end("Method not allowed\n");
      return;
    }
    const [path = "", query] = (req.url ?? "").split("?", 2);
    if (path === CONSOLE_PATH) {
      res.writeHead(308, { location: `${CONSOLE_PATH}/${query ? `?${query}` : ""}` });
      res.end();
      return;
    }
    const relative = decodePath(path.slice(CONSOLE_PATH.length + 1));
    if (relative === null) {
      res.writeHead(400, { "content-type": "text/plain; charset=utf-8" });
      res.end("Bad path: it must not contain '..', '\\', NUL or malformed %-escapes\n");
      return;
    }
    if (root === null) {
      notBuilt(res, "the @claimwire/insurer-console package is not installed");
      return;
    }

    const extension = extname(relative);
    const requested = relative === "" || relative.endsWith("/") ? null : join(root, relative);
    // Stay inside dist/ whatever the path says (decodePath already refused '..').
    if (requested !== null && !requested.startsWith(`${root}${sep}`)) {
      res.writeHead(400, { "content-type": "text/plain; charset=utf-8" });
      res.end("Bad path\n");
      return;
    }
    let file = requested === null ? null : await load(requested);
    let served = requested;
    if (file === null) {
      // A missing asset is a 404, never the app's HTML under a .js name; any other path
      // is a route of the app, answered with index.html.
      if (extension in CONTENT_TYPES && extension !== ".html") {
        res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
        res.end("Not found\n");
        return;
      }
      served = join(root, "index.html");
      file = await load(served);
      if (file === null) {
        notBuilt(res, `${served} does not exist`);
        return;
      }
    }
    const type = extname(served ?? "");
    const etag = `"${file.size.toString(36)}-${Math.trunc(file.mtimeMs).toString(36)}"`;
    const gzip = file.gzipped !== null && /\bgzip\b/.test(req.headers["accept-encoding"] ?? "");
    const headers: Record<string, string> = {
      "content-type": CONTENT_TYPES[type] ?? "application/octet-stream",
      "x-content-type-options": "nosniff",
      "cache-control": relative.startsWith("assets/")
        ? "public, max-age=31536000, immutable"
        : "no-cache",
      etag,
      vary: "accept-encoding",
      ...(type === ".html" ? HTML_HEADERS : {}),
    };
    if (req.headers["if-none-match"] === etag) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    const body = gzip && file.gzipped ? file.gzipped : file.body;
    if (gzip) headers["content-encoding"] = "gzip";
    headers["content-length"] = String(body.length);
    res.writeHead(200, headers);
    res.end(req.method === "HEAD" ? undefined : body);
  }

  function notBuilt(res: ServerResponse, why: string): void {
    log.warn({ why }, `insurer console not built: run ${CONSOLE_BUILD_COMMAND}`);
    res.writeHead(404, { "content-type": "text/html; charset=utf-8", ...HTML_HEADERS });
    res.end(
      "<!doctype html><html lang=en><meta charset=utf-8><title>Console not built</title>" +
        "<h1>The insurer console is not built</h1>" +
        `<p>Build it with <code>${CONSOLE_BUILD_COMMAND}</code> ` +
        "(<code>npm start</code> rebuilds it on every change), then reload.</p></html>\n",
    );
  }

  return (req, res) => {
    handle(req, res).catch((err: unknown) => {
      log.error({ err, url: req.url }, "serving the insurer console failed");
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
      res.end("Internal server error\n");
    });
  };
}

/**
 * The path below /console/, %-decoded; null when it could leave dist/ or is malformed:
 * a '..' segment (also when encoded, %2e%2e), a backslash, a NUL byte or a bad escape.
 */
export function decodePath(raw: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return null;
  }
  if (decoded.includes("\0") || decoded.includes("\\") || decoded.startsWith("/")) return null;
  if (decoded.split("/").some((segment) => segment === "..")) return null;
  return decoded;
}
