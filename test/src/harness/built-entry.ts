import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The arguments of `node` for an app: those of its `start` script (`node <V8 flags>
 * dist/main.js`, the production entry built by `bundle-service`), so that tests and the
 * benchmark run what production runs, flags included. With CLAIMWIRE_SERVICE_ENTRY=source:
 * the same flags with `--import tsx src/main.ts`, for a change tried without a build.
 */
export function serviceArgs(appDir: string): string[] {
  const pkg = JSON.parse(readFileSync(join(appDir, "package.json"), "utf8")) as {
    scripts?: { start?: string };
  };
  const [command, ...args] = (pkg.scripts?.start ?? "").trim().split(/\s+/);
  if (command !== "node" || args.at(-1) !== "dist/main.js") {
    throw new Error(`${appDir}/package.json: "start" must be \`node [flags] dist/main.js\``);
  }
  const flags = args.slice(0, -1);
  if (process.env.CLAIMWIRE_SERVICE_ENTRY === "source") {
    return [...flags, "--import", "tsx", "src/main.ts"];
  }
  assertBuiltEntryFresh(appDir);
  return args;
}

/**
 * A bundle older than one of its sources would test yesterday's code without a word:
 * `bundle-service` lists its own inputs with a hash of each, and one that changed since
 * fails the start with the command that fixes it.
 */
export function assertBuiltEntryFresh(appDir: string): void {
  const bundle = join(appDir, "dist", "main.js");
  const listing = `${bundle}.inputs.json`;
  if (!existsSync(bundle) || !existsSync(listing)) {
    throw new Error(`${bundle} is missing: run \`turbo run build\` first`);
  }
  const inputs = JSON.parse(readFileSync(listing, "utf8")) as Record<string, string>;
  for (const [input, hash] of Object.entries(inputs)) {
    const path = join(appDir, input);
    const now = existsSync(path) ? createHash("sha1").update(readFileSync(path)).digest("hex") : "";
    if (now !== hash) {
      throw new Error(
        `${bundle} is older than ${input}: run \`turbo run build\` first (or set CLAIMWIRE_SERVICE_ENTRY=source)`,
      );
    }
  }
}
