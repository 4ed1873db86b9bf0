// The cross-process harness of the end-to-end tests (test/src/harness), reused as is:
// the benchmark runs the same processes the same way.
export { readClinicDb } from "../../test/src/harness/clinic-db.ts";
export { readInsurerDb } from "../../test/src/harness/insurer-db.ts";
export { sampleClaim } from "../../test/src/harness/sample-claim.ts";
export {
  REPO_ROOT,
  type ServiceProcess,
  startService,
} from "../../test/src/harness/service-process.ts";
export {
  type RunningSystem,
  STAFF_API_KEY,
  startSystem,
} from "../../test/src/harness/system.ts";
