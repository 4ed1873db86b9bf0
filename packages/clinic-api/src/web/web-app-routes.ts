import { serveSpa } from "@claimwire/service";

export type WebAppRoutesOptions = {
  /** The built app (apps/clinic-web/dist); read on each request, so a rebuild shows at once. */
  dir: string | null;
};

/**
 * The clinic web app: its built files, and `index.html` for every other GET path that is
 * not the API or the receiver (the app routes on the client: `/claims/<id>`, `/p/<token>`).
 * Before the first build, a page that says how to build it instead of a crash or a 404.
 */
export function createWebAppRoutes({ dir }: WebAppRoutesOptions) {
  return serveSpa({
    root: dir,
    exclude: ["/api", "/webhooks"],
    // Links to a patient's page carry its token: keep it out of Referer headers.
    htmlHeaders: { "referrer-policy": "no-referrer" },
    notBuilt: (c) =>
      c.body(notBuiltPage(dir), 503, {
        "content-type": "text/html; charset=utf-8",
        "retry-after": "3",
      }),
  });
}

function notBuiltPage(dir: string | null): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="3"><title>Clinic — web app not built yet</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem">
<h1>The clinic web app is not built yet</h1>
<p>The clinic is running, and it receives webhooks; only its web app is missing from
<code>${escapeHtml(dir ?? "@claimwire/clinic-web/dist (not installed)")}</code>.</p>
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
