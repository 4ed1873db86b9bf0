// The cross-process harness of the end-to-end tests (test/src/harness), reused as is:
// the benchmark runs the same processes the same way.
export { readClinicDb } from "@claimwire/e2e";
export { readInsurerDb } from "@claimwire/e2e";
export { sampleClaim } from "@claimwire/e2e";
export {
  REPO_ROOT,
  type ServiceProcess,
  startService,
} from "@claimwire/e2e";
export {
  type RunningSystem,
  STAFF_API_KEY,
  startSystem,
} from "@claimwire/e2e";
