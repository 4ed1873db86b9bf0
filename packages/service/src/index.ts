export { limitBody } from "./body-limit.ts";
export { builtAppDir } from "./built-app-dir.ts";
export { cidrListSetting } from "./cidr-list-setting.ts";
export { createDrainGate, type DrainGate } from "./drain-gate.ts";
export { type EnvSource, parseEnv } from "./env.ts";
export {
  checkReadiness,
  createHealthRoutes,
  type Readiness,
  type ReadinessChecks,
  readinessStatus,
} from "./readiness.ts";
export { decodeSafePath, hasDotDotSegment } from "./safe-path.ts";
export { type ServeSpaOptions, serveSpa } from "./serve-spa.ts";
export {
  exitAfterDrainOnSignal,
  type ShutdownOptions,
  shutdownEnvSchema,
} from "./shutdown-on-signal.ts";
export { traceRequests } from "./trace-requests.ts";
