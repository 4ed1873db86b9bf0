// The `claimwire` bin (built to dist/cli.js). The only file of the CLI with side effects:
// it reads argv and the environment, writes to the terminal, and stops on Ctrl-C.
import { runCli } from "./run-cli.ts";

const stop = new AbortController();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => stop.abort());
}

const code = await runCli(process.argv.slice(2), process.env, {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  signal: stop.signal,
});
// Exit now rather than when idle keep-alive connections time out.
process.exit(code);
