// CI check for the generated artefacts: regenerate in memory and
// compare with the committed files — `turbo run generate` + a clean `git diff`, without
// needing git.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { artefactDrift, GENERATED_DIR, readArtefactDir } from "../../scripts/artefact-files.ts";
import { runGenerate } from "../../scripts/generate.ts";
import { collectContractSchemas, renderArtefacts } from "../../src/compat/generate-artefacts.ts";
import * as contracts from "../../src/index.ts";

describe("contracts/generated", () => {
  it("is what the zod source generates today", () => {
    const drift = artefactDrift(GENERATED_DIR, renderArtefacts(collectContractSchemas(contracts)));
    const differing = [
      ...drift.changed.map((f) => `changed: ${f}`),
      ...drift.missing.map((f) => `missing: ${f}`),
      ...drift.stale.map((f) => `no longer generated: ${f}`),
    ];
    expect(
      differing,
      "contracts/generated is out of date: run `pnpm --filter @claimwire/contracts generate` and commit the result",
    ).toEqual([]);
  });

  it("is written by the generate script exactly as the check regenerates it", () => {
    const dir = mkdtempSync(join(tmpdir(), "contracts-generate-"));
    try {
      expect(runGenerate(["--out", dir])).toContain("written or removed");
      expect(runGenerate(["--out", dir])).toContain("all up to date");
      expect(readArtefactDir(dir)).toEqual(renderArtefacts(collectContractSchemas(contracts)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
