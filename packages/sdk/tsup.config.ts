import { defineConfig, type Options } from "tsup";

/** What both builds share: Node 20, our workspace packages bundled in. */
const shared: Options = {
  target: "node20",
  platform: "node",
  // Keep `node:crypto` as written: unambiguous for runtimes and for consumers' bundlers.
  removeNodeProtocol: false,
  noExternal: [/^@claimwire\//],
};

/**
 * The published SDK: ESM and CJS with bundled type declarations. Our workspace packages
 * (contracts, webhooks) are bundled in — code and types — so a consumer installs only
 * zod, @trpc/client, openapi-fetch and @trpc/server from the registry. The insurer's router contributes
 * types only, expanded in src/insurer-router.ts.
 *
 * The `claimwire` bin (src/cli/) is a second build: one ESM file with a shebang and no
 * declarations, so the library's entry and its chunks stay as they are.
 */
export default defineConfig([
  {
    ...shared,
    // Two entry points: the package itself and `@claimwire/sdk/rest` (the REST client).
    entry: { index: "src/index.ts", rest: "src/rest/index.ts" },
    format: ["esm", "cjs"],
    // Everything but the bin's file, which the other build writes at the same time.
    clean: ["!cli.js"],
    dts: {
      // The workspace packages export TypeScript source; resolving them as local files (not
      // node_modules) makes the .d.ts bundler inline their declarations.
      compilerOptions: {
        paths: {
          "@claimwire/contracts": ["../../contracts/src/index.ts"],
          "@claimwire/webhooks": ["../webhooks/src/index.ts"],
        },
      },
    },
  },
  {
    ...shared,
    entry: { cli: "src/cli/main.ts" },
    format: ["esm"],
    clean: false,
    dts: false,
    banner: { js: "#!/usr/bin/env node" },
  },
]);
