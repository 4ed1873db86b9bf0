import { parseArgs } from "node:util";

/** A mistake in how the CLI was called; `runCli` prints it with the usage and exits 2. */
export class UsageError extends Error {}

/** The command line, read: the command's words and the options. */
export type CliArgs = {
  words: string[];
  json: boolean;
  help: boolean;
  name: string | undefined;
};

const OPTIONS = {
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  name: { type: "string" },
} as const;

/**
 * Reads argv with `node:util`'s `parseArgs`. Its strict mode words errors its own way (and
 * differently across Node releases), so options are checked here from its tokens, and
 * each error names the flag: `unknown option '--verbose'`, `--name needs a value`.
 *
 * @example
 * readCliArgs(["keys", "create", "cln_1", "--name", "billing"]);
 * // { words: ["keys", "create", "cln_1"], json: false, help: false, name: "billing" }
 */
export function readCliArgs(argv: readonly string[]): CliArgs {
  const { positionals, tokens } = parseArgs({
    args: [...argv],
    options: OPTIONS,
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  const args: CliArgs = { words: positionals, json: false, help: false, name: undefined };
  for (const token of tokens) {
    if (token.kind !== "option") continue;
    const { name, rawName, value, inlineValue } = token;
    if (name === "json" || name === "help") {
      if (value !== undefined) throw new UsageError(`${rawName} takes no value`);
      args[name] = true;
    } else if (name === "name") {
      // `--name --json` would otherwise take "--json" as the name.
      if (value === undefined || value.trim() === "" || (!inlineValue && value.startsWith("-"))) {
        throw new UsageError(`${rawName} needs a value`);
      }
      args.name = value;
    } else {
      throw new UsageError(`unknown option '${rawName}'`);
    }
  }
  return args;
}
