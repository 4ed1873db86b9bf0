import { existsSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, extname, join, resolve, sep } from "node:path";
import { Hono } from "hono";

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
  ".map": "application/json",
};

/** Where `pnpm --filter @claimwire/clinic-web build` (or its `dev` watch) writes the app. */
export function defaultWebAppDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve("@claimwire/clinic-web/package.json")), "dist");
}

export type WebAppRoutesOptions = {
  /** The built app (apps/clinic-web/dist); read on each request, so a rebuild shows at once. */
  dir: string;
};

/**
 * The clinic web app: its built files, and `index.html` for every other GET path that is
 * not the API or the receiver (the app routes on the client: `/claims/<id>`, `/p/<token>`).
 * Before the first build, a page that says how to build it instead of a crash or a 404.
 */
export function createWebAppRoutes({ dir }: WebAppRoutesOptions) {
  const root = resolve(dir);
  return new Hono().get("*", (c) => {
    const path = decodeURIComponent(c.req.path);
    if (path.startsWith("/api/") || path.startsWith("/webhooks/")) return c.notFound();

    const file = resolve(root, `.${path}`);
    const inside = file === root || file.startsWith(root + sep);
    if (inside && file !== root && existsSync(file) && statSync(file).isFile()) {
      const type = CONTENT_TYPES[extname(file)] ?? "application/octet-stream";
      // Vite names built assets by content hash: they never change under the same name.
      const cache = path.startsWith("/assets/")
        ? "public, max-age=31536000, immutable"
        : "no-cache";
      return c.body(readFileSync(file), 200, { "content-type": type, "cache-control": cache });
    }
    if (extname(path) !== "") return c.notFound();

    const index = join(root, "index.html");
    if (!existsSync(index)) {
      return c.html(notBuiltPage(root), 503, { "retry-after": "3" });
    }
    const html = readFileSync(index, "utf8");
    // Links to a patient's page carry its token: keep it out of Referer headers.
    return c.html(html, 200, { "cache-control": "no-cache", "referrer-policy": "no-referrer" });
  });
}

function notBuiltPage(dir: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="3"><title>Clinic — web app not built yet</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem">
<h1>The clinic web app is not built yet</h1>
<p>The clinic is running, and it receives webhooks; only its web app is missing from
<code>${escapeHtml(dir)}</code>.</p>
<p><code>npm start</code> builds it on its first start (this page reloads itself every 3 seconds until then).
To build it by hand: <code>pnpm --filter @claimwire/clinic-web build</code>.</p>
</body></html>`;
}

function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}
