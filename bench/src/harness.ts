// The cross-process harness of the end-to-end tests (test/src/harness), reused as is:
// the benchmark runs the same processes the same way.
export {
  REPO_ROOT,
  type RunningSystem,
  readClinicDb,
  readInsurerDb,
  type ServiceProcess,
  STAFF_API_KEY,
  sampleClaim,
  startService,
  startSystem,
} from "@claimwire/e2e";
