export { limitBody } from "./body-limit.ts";
export { builtAppDir } from "./built-app-dir.ts";
export { cidrListSetting } from "./cidr-list-setting.ts";
export { type EnvSource, parseEnv } from "./env.ts";
export { decodeSafePath, hasDotDotSegment } from "./safe-path.ts";
export { type ServeSpaOptions, serveSpa } from "./serve-spa.ts";
