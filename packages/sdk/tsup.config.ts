import { defineConfig } from "tsup";

/**
 * The published SDK: ESM and CJS with bundled type declarations. Our workspace packages
 * (contracts, webhooks) are bundled in — code and types — so a consumer installs only
 * zod, @trpc/client and @trpc/server from the registry. The insurer's router contributes
 * types only, expanded in src/insurer-router.ts.
 */
export default defineConfig({
  // Two entry points: the package itself and `@claimwire/sdk/rest` (the REST client).
  entry: { index: "src/index.ts", rest: "src/rest/index.ts" },
  format: ["esm", "cjs"],
  target: "node20",
  platform: "node",
  clean: true,
  // Keep `node:crypto` as written: unambiguous for runtimes and for consumers' bundlers.
  removeNodeProtocol: false,
  noExternal: [/^@claimwire\//],
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
});
