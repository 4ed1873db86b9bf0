import { spawn } from "node:child_process";
import { LONG_FORM_ENV } from "./chaos-config.ts";

// `pnpm test:chaos [--long] [--seed N]`: the chaos suite alone. --long drives ≥ 10,000
// status changes instead of ≥ 1,000; --seed replays the fault proxies' choices of a run.
const args = process.argv.slice(2);
const env = { ...process.env };
if (args.includes("--long")) env[LONG_FORM_ENV] = "1";
const seedAt = args.indexOf("--seed");
if (seedAt >= 0 && args[seedAt + 1]) env.CLAIMWIRE_CHAOS_SEED = args[seedAt + 1];

const vitest = spawn("vitest", ["run", "--config", "vitest.chaos.config.ts"], {
  env,
  stdio: "inherit",
});
vitest.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
