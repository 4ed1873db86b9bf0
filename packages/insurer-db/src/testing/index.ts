// Test helpers: a fresh store of either dialect (never imported by production code).
export * from "./test-store.ts";
