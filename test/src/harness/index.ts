// The cross-process harness, for the benchmark (bench/) and other packages that run the
// same processes the same way: `@claimwire/e2e/harness`. Tests inside test/ import the
// files directly.
export { readClinicDb } from "./clinic-db.ts";
export { waitForHttpStatus } from "./http-readiness.ts";
export { readInsurerDb } from "./insurer-db.ts";
export { type RestartableService, startRestartableService } from "./restartable-service.ts";
export { sampleClaim } from "./sample-claim.ts";
export { REPO_ROOT, type ServiceProcess, startService } from "./service-process.ts";
export { type RunningSystem, STAFF_API_KEY, startSystem } from "./system.ts";
