// Test helpers for the insurer in-process: other packages' tests import them from
// `@claimwire/insurer-api/testing` (never from the package's main entry).
export * from "./delivery-fixtures.ts";
export * from "./harness.ts";
export * from "./stand-in-worker.ts";
