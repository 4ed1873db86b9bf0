// The vitest settings every package shares. Tests start real nats-servers, SQLite files
// and processes on a 2-core machine while other packages' tests run beside them, so the
// timeouts are generous: they catch a hang, not a slow machine. (Timing goals belong in
// benchmarks, never in assertions.) Each run also writes a JSON report that
// scripts/test-summary.mjs adds up into one closing line for the whole workspace.
// Plain JavaScript: vitest loads config files' imports from node_modules untranspiled.
export default {
  test: {
    testTimeout: 30_000,
    // Each worker imports the workspace's modules once for all the files it runs, not
    // once per file: the import was most of the insurer suites' time (42 s → 13 s for
    // insurer-api on SQLite). Each test makes its own stores, servers and processes; the
    // workspace's modules hold no per-test state.
    isolate: false,
    hookTimeout: 60_000,
    reporters: ["default", "json"],
    outputFile: { json: "test-results/vitest.json" },
  },
};
