#!/usr/bin/env node
// `bundle-service [src/main.ts] [dist/main.js]`, run in an app's folder: one ES module with
// our TypeScript and every dependency in it, started with plain `node` in production.
// Running the sources through tsx costs each process tens of MB (the loader thread, every
// module compiled at start and its source map kept), which a service has no use for.
import { createHash } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { dirname, relative, resolve } from "node:path";
import { build } from "esbuild";

/** Native addons load their .node file relative to their package: never bundled. */
const NATIVE = ["better-sqlite3"];
/** Optional requires of bundled packages that are never installed here (pg's native client). */
const NEVER_INSTALLED = ["pg-native"];

const [entry = "src/main.ts", outfile = "dist/main.js"] = process.argv.slice(2);
const out = resolve(outfile);

const result = await build({
  entryPoints: [resolve(entry)],
  outfile: out,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  external: [...NATIVE, ...NEVER_INSTALLED],
  // Bundled CommonJS packages call require(); an ES module has none of its own.
  banner: {
    js: "import { createRequire as __claimwireCreateRequire } from 'node:module';\nconst require = __claimwireCreateRequire(import.meta.url);",
  },
  // V8 keeps each script's source for lazy compilation: whitespace and syntax minified
  // (names kept, for stack traces and logs) is about a third less of it in every process.
  minifyWhitespace: true,
  minifySyntax: true,
  keepNames: true,
  sourcemap: "linked",
  metafile: true,
  logLevel: "warning",
  plugins: [keepModuleUrls(out)],
});
// Our own inputs and a hash of each: the test harness refuses a bundle older than its
// sources (test/src/harness/built-entry.ts). Contents, not mtimes: a checkout or turbo's
// cache replay changes mtimes without changing what was bundled.
const inputs = {};
for (const input of Object.keys(result.metafile.inputs)) {
  if (input.includes("node_modules/")) continue;
  inputs[input] = createHash("sha1")
    .update(await readFile(input))
    .digest("hex");
}
await writeFile(`${out}.inputs.json`, `${JSON.stringify(inputs, null, 1)}\n`);
const bytes = Object.values(result.metafile.outputs).find((o) => o.entryPoint)?.bytes ?? 0;
console.log(`bundle-service: ${relative(process.cwd(), out)} (${Math.round(bytes / 1024)} kB)`);

/**
 * Our packages find files beside their sources with `import.meta.url` (migrations, the
 * OpenAPI files). In the bundle that would be the bundle's URL, so each source file's
 * `import.meta.url` becomes its own URL again, relative to the bundle: the bundle runs
 * from the checkout it was built in, as it needs that checkout's node_modules anyway.
 */
function keepModuleUrls(bundle) {
  return {
    name: "keep-module-urls",
    setup(b) {
      b.onLoad({ filter: /\.[cm]?ts$/ }, async (args) => {
        if (args.path.includes("/node_modules/")) return undefined;
        const text = await readFile(args.path, "utf8");
        if (!text.includes("import.meta.url")) return undefined;
        const own = JSON.stringify(relative(dirname(bundle), args.path));
        return {
          contents: text.replaceAll("import.meta.url", `new URL(${own}, import.meta.url).href`),
          loader: "ts",
        };
      });
    },
  };
}
