import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { builtAppDir } from "./built-app-dir.ts";

const root = mkdtempSync(join(tmpdir(), "claimwire-built-app-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A package `name` in root/node_modules exporting its dist/, built or not. */
function fakeApp(name: string, built: boolean): void {
  const dir = join(root, "node_modules", name);
  mkdirSync(join(dir, "dist"), { recursive: true });
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({
      name,
      exports: { "./package.json": "./package.json", "./dist/*": "./dist/*" },
    }),
  );
  if (built) writeFileSync(join(dir, "dist", "index.html"), "<!doctype html>");
}

describe("builtAppDir", () => {
  it("finds a built app's dist folder through its package export", () => {
    fakeApp("built-ui", true);
    const from = pathToFileURL(join(root, "server.js")).href;
    expect(builtAppDir("built-ui", from)).toBe(join(root, "node_modules", "built-ui", "dist"));
  });

  it("names the folder of an app not built yet (served once built), and is null for one not installed", () => {
    fakeApp("unbuilt-ui", false);
    const from = pathToFileURL(join(root, "server.js")).href;
    expect(builtAppDir("unbuilt-ui", from)).toBe(join(root, "node_modules", "unbuilt-ui", "dist"));
    expect(builtAppDir("no-such-ui", from)).toBeNull();
  });
});
