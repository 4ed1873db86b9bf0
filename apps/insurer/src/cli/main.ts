import { runCli } from "./cli.ts";

// `pnpm --filter @claimwire/insurer cli <command>`; see cli.ts for the commands.
process.exitCode = await runCli(process.argv.slice(2), {
  env: process.env,
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
