// Who may import whom (docs/architecture.md, "Packages and who imports whom"). `pnpm
// run check` runs this over every package; a broken rule fails the check.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-relative-import-across-packages",
      comment:
        "A relative import stays inside its package; another package is imported by its name (its exports).",
      severity: "error",
      from: { path: "^((?:apps|packages|tooling)/[^/]+|contracts|test|bench)/" },
      to: {
        dependencyTypes: ["local"],
        pathNot: ["^$1/", "node_modules"],
      },
    },
    {
      name: "apps-do-not-import-apps",
      comment: "Apps only wire and serve; what two apps share lives in a package.",
      severity: "error",
      from: { path: "^apps/([^/]+)/" },
      to: { path: "^apps/", pathNot: "^apps/$1/" },
    },
    {
      name: "packages-do-not-import-apps",
      comment: "A package never depends on a process that uses it.",
      severity: "error",
      from: { path: "^(packages|contracts|tooling)/" },
      to: { path: "^apps/" },
    },
    {
      name: "nothing-imports-the-cross-process-tests",
      comment: "Only test/ and bench/ use the cross-process harness.",
      severity: "error",
      from: { path: "^(apps|packages|contracts|tooling)/" },
      to: { path: "^(test|bench)/" },
    },
    {
      name: "contracts-import-only-zod",
      comment: "Every side shares the contracts, so they depend on nothing but zod.",
      severity: "error",
      from: { path: "^contracts/src/" },
      to: {
        dependencyTypesNot: ["local", "core", "type-only"],
        pathNot: ["node_modules/.*/zod/"],
      },
    },
    {
      name: "address-policy-imports-nothing-of-ours",
      comment:
        "Which addresses deliveries may reach: a pure policy the worker and the insurer share.",
      severity: "error",
      from: { path: "^packages/address-policy/src/" },
      to: { path: "^(apps|packages|contracts)/", pathNot: "^packages/address-policy/" },
    },
    {
      name: "webhooks-import-nothing-of-ours",
      comment: "Standard Webhooks signing and verification over bytes, usable by anyone.",
      severity: "error",
      from: { path: "^packages/webhooks/src/" },
      to: { path: "^(apps|packages|contracts)/", pathNot: "^packages/webhooks/" },
    },
    {
      name: "telemetry-imports-nothing-of-ours",
      comment: "Tracing is a tool every process uses; it knows none of them.",
      severity: "error",
      from: { path: "^packages/telemetry/src/" },
      to: { path: "^(apps|packages|contracts)/", pathNot: "^packages/telemetry/" },
    },
    {
      name: "ui-takes-server-routers-by-type-only",
      comment:
        "The web apps import a server package only for its router type, erased from the bundle.",
      severity: "error",
      from: { path: "^apps/(clinic-web|insurer-console)/" },
      to: {
        path: "^packages/(insurer|clinic)-(api|domain|db)/",
        dependencyTypesNot: ["type-only"],
      },
    },
    {
      name: "sdk-takes-the-router-by-type-only",
      comment: "The SDK is published without the server: AppRouter by type only.",
      severity: "error",
      from: { path: "^packages/sdk/src/" },
      to: {
        path: "^packages/(insurer|clinic)-(api|domain|db)/",
        dependencyTypesNot: ["type-only"],
      },
    },
    {
      name: "insurer-domain-knows-no-api",
      comment: "Routers call the domain, never the reverse; the domain never imports tRPC.",
      severity: "error",
      from: { path: "^packages/insurer-(domain|db)/" },
      to: { path: ["^packages/insurer-api/", "node_modules/.*/@trpc/"] },
    },
    {
      name: "insurer-db-knows-no-domain",
      comment: "The store is below the domain.",
      severity: "error",
      from: { path: "^packages/insurer-db/" },
      to: { path: "^packages/insurer-domain/" },
    },
    {
      name: "clinic-domain-knows-no-api",
      comment: "The clinic's domain folders never import its routers or tRPC.",
      severity: "error",
      from: {
        path: "^packages/clinic-api/src/(claims|processor|reconciliation|registration|live|mail)/",
        pathNot: "\\.test\\.ts$",
      },
      to: {
        path: ["^packages/clinic-api/src/(api|web|receiver)/", "node_modules/.*/@trpc/"],
      },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: ["node_modules", "/dist/", "test-results"] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.depcruise.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".tsx", ".mts", ".js", ".mjs", ".cjs", ".d.ts"],
    },
    combinedDependencies: false,
    preserveSymlinks: false,
  },
};
