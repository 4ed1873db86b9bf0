// Helpers for tests and benchmarks that run real processes: one of each kind, shared by
// every package's tests, the cross-process tests (test/) and the benchmark (bench/).
export { freePort } from "./free-port.ts";
export { generateOverCommittedMigrations } from "./migration-drift.ts";
export { seededRandom } from "./seeded-random.ts";
export { type SpawnedProcess, type SpawnOptions, spawnProcess } from "./spawn-process.ts";
export { type Truthy, type WaitForOptions, waitFor } from "./wait-for.ts";
