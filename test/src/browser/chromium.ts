import { existsSync } from "node:fs";
import { type Browser, chromium, type Page } from "playwright-core";

/** Debian's chromium (installed by .ci/run); never a downloaded browser. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/**
 * This machine's network is closed: without the background-networking flags Chromium
 * keeps opening connections that are refused, and it runs as root, so no sandbox.
 */
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export type TestBrowser = {
  browser: Browser;
  /** A new page that records console errors and uncaught page errors into `errors`. */
  /** `locale`: the browser's language (navigator.languages, Accept-Language), "en-GB" by default. */
  newPage(opts?: { width?: number; height?: number; locale?: string }): Promise<Page>;
  /** Every console error and page error seen on any page, as text. */
  errors: string[];
  close(): Promise<void>;
};

export async function launchChromium(): Promise<TestBrowser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`no chromium at ${CHROMIUM_PATH}: apt-get install chromium (.ci/run does)`);
  }
  // playwright gives the browser a new empty profile of its own and removes it on close.
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const errors: string[] = [];
  return {
    browser,
    errors,
    async newPage({ width = 1280, height = 800, locale = "en-GB" } = {}) {
      const page = await browser.newPage({ viewport: { width, height }, locale });
      // Well inside the test's own timeout, so a wait that fails names what it waited for.
      page.setDefaultTimeout(10_000);
      page.on("console", (msg) => {
        if (msg.type() === "error") errors.push(`console: ${msg.text()} (${page.url()})`);
      });
      page.on("pageerror", (err) => errors.push(`pageerror: ${err.message} (${page.url()})`));
      return page;
    },
    async close() {
      await browser.close();
    },
  };
}
