import { serveSpa } from "@claimwire/service";
import type { Hono } from "hono";
import type { Logger } from "pino";

/**
 * The insurer console (apps/insurer-console, a Vite-built React app) served at /console/:
 * its built files from dist/, and index.html for every other path below /console/ so
 * that deep links (/console/endpoints/ep_…) load the app, which routes in the browser.
 */
export const CONSOLE_PATH = "/console";
export const CONSOLE_BUILD_COMMAND = "pnpm --filter @claimwire/insurer-console build";

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

/**
 * The console's routes (@claimwire/service's serveSpa: GET and HEAD, assets cached for a
 * year, the page revalidated by ETag, gzip). Before the console is built, or without its
 * package, a 404 page that names the build command.
 */
export function createConsoleRoutes({
  distDir,
  log,
}: {
  /** The built console; null (or a folder without index.html) answers a 404 page. */
  distDir: string | null;
  log: Logger;
}): Hono {
  return serveSpa({
    root: distDir,
    basePath: CONSOLE_PATH,
    htmlHeaders: HTML_HEADERS,
    notBuilt: (c) => {
      log.warn({ distDir }, `insurer console not built: run ${CONSOLE_BUILD_COMMAND}`);
      return c.body(
        "<!doctype html><html lang=en><meta charset=utf-8><title>Console not built</title>" +
          "<h1>The insurer console is not built</h1>" +
          `<p>Build it with <code>${CONSOLE_BUILD_COMMAND}</code> ` +
          "(<code>npm start</code> rebuilds it on every change), then reload.</p></html>\n",
        404,
        { "content-type": "text/html; charset=utf-8", ...HTML_HEADERS },
      );
    },
  });
}
