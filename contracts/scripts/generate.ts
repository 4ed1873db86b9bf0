/**
 * Generates the contract artefacts from the zod source:
 *   pnpm --filter @claimwire/contracts generate   → contracts/generated/ (commit it)
 *   pnpm --filter @claimwire/contracts baseline   → contracts/baseline/ (on a release only)
 * One JSON Schema per webhook event type and per API message, plus index.json. The test
 * contracts/test/contract/generated-artefacts.test.ts regenerates in memory and fails
 * when the committed files differ; the breaking-change gate compares with the baseline.
 * Run with plain node: `node --import ./scripts/register-ts.mjs scripts/generate.ts`
 * (`--baseline`, or `--out <dir>` for another folder).
 */
import { relative } from "node:path";
import { pathToFileURL } from "node:url";
import { collectContractSchemas, renderArtefacts } from "../src/compat/generate-artefacts.ts";
import * as contracts from "../src/index.ts";
import { BASELINE_DIR, GENERATED_DIR, writeArtefactDir } from "./artefact-files.ts";

/** Writes the artefacts where the arguments say; returns what it reports. */
export function runGenerate(args: readonly string[]): string {
  const out = args.indexOf("--out");
  const toBaseline = args.includes("--baseline");
  const dir =
    out >= 0 && args[out + 1] ? args[out + 1]! : toBaseline ? BASELINE_DIR : GENERATED_DIR;
  const files = renderArtefacts(collectContractSchemas(contracts));
  const drift = writeArtefactDir(dir, files);

  const where = relative(process.cwd(), dir) || ".";
  const touched = [
    ...drift.missing.map((f) => `  + ${f}`),
    ...drift.changed.map((f) => `  ~ ${f}`),
    ...drift.stale.map((f) => `  - ${f}`),
  ];
  const lines = [
    touched.length === 0
      ? `${where}: ${files.size} files, all up to date`
      : `${where}: ${files.size} files, ${touched.length} written or removed`,
    ...touched,
  ];
  if (toBaseline && touched.length > 0) {
    lines.push(
      "The baseline is the last released contract: commit it with the release (docs/contracts.md).",
    );
  }
  return lines.join("\n");
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(runGenerate(process.argv.slice(2)));
}
