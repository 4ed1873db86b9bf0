import { spawn } from "node:child_process";
import { CLUSTER_LONG_FORM_ENV, LONG_FORM_ENV } from "./chaos-config.ts";

// `pnpm test:chaos [--long | --cluster] [--seed N]`: the chaos suite alone. Without a flag,
// the short forms of the single-server and the cluster run. --long: the single-server run
// driving ≥ 10,000 status changes instead of ≥ 1,000. --cluster (with or without --long):
// the cluster run alone, each cluster fault in a burst of ≥ 2,000 changes with its own
// verdict. --seed replays the fault proxies' choices of a run.
const args = process.argv.slice(2);
const env = { ...process.env };
const files: string[] = [];
if (args.includes("--cluster")) {
  env[CLUSTER_LONG_FORM_ENV] = "1";
  files.push("chaos/chaos-cluster.test.ts");
} else if (args.includes("--long")) {
  env[LONG_FORM_ENV] = "1";
  files.push("chaos/chaos.test.ts");
}
const seedAt = args.indexOf("--seed");
if (seedAt >= 0 && args[seedAt + 1]) env.CLAIMWIRE_CHAOS_SEED = args[seedAt + 1];

const vitest = spawn("vitest", ["run", "--config", "vitest.chaos.config.ts", ...files], {
  env,
  stdio: "inherit",
});
vitest.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
