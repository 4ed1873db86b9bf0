import { CliError, usageError } from "./cli-error.ts";
import type { CliIo } from "./cli-io.ts";
import { listenCommand } from "./listen-command.ts";
import { LISTEN_USAGE, parseListenOptions } from "./listen-options.ts";
import { replayCommand } from "./replay-command.ts";

const USAGE = `Usage: claimwire <command> [options]

Commands:
  listen   forward your clinic's webhooks to a local URL (claimwire listen --help)`;

/**
 * The `claimwire` command line: returns the exit code (0 done or stopped, 1 failed, 2 bad
 * usage) after writing one clear line for a failure. Side effects only through `io`.
 *
 * @example
 * process.exitCode = await runCli(process.argv.slice(2), process.env, io);
 */
export async function runCli(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  io: CliIo,
): Promise<number> {
  try {
    const [command, ...args] = argv;
    if (command === undefined) {
      io.err(USAGE);
      return 2;
    }
    if (command === "--help" || command === "-h" || command === "help") {
      io.out(USAGE);
      return 0;
    }
    if (command !== "listen") throw usageError(`Unknown command '${command}'\n${USAGE}`);
    const options = parseListenOptions(args, env);
    if (options === "help") {
      io.out(LISTEN_USAGE);
      return 0;
    }
    const { replay } = options;
    if (replay !== undefined) await replayCommand({ ...options, replay }, io);
    else await listenCommand(options, io);
    return 0;
  } catch (error) {
    if (error instanceof CliError) {
      io.err(`claimwire: ${error.message}`);
      return error.exitCode;
    }
    // A bug of ours: show it whole.
    io.err(
      `claimwire: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return 1;
  }
}
