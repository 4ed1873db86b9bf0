// The breaking-change gate: the current contract against the last
// released one (contracts/baseline). A break fails here unless it ships as a new version
// of the event type beside the old one, or the baseline is deliberately updated in the
// same change (`pnpm --filter @claimwire/contracts baseline`). docs/contracts.md.
import { describe, expect, it } from "vitest";
import { BASELINE_DIR, readArtefactDir } from "../../scripts/artefact-files.ts";
import {
  artefactSetFromFiles,
  compareArtefactSets,
  formatBreakingChanges,
} from "../../src/compat/artefacts.ts";
import { collectContractSchemas, renderArtefacts } from "../../src/compat/generate-artefacts.ts";
import * as contracts from "../../src/index.ts";

const baselineFiles = readArtefactDir(BASELINE_DIR);
const baseline = artefactSetFromFiles(baselineFiles);
const current = artefactSetFromFiles(renderArtefacts(collectContractSchemas(contracts)));

describe("the breaking-change gate", () => {
  it("has a released baseline to compare with", () => {
    expect(
      baseline.events.size,
      "contracts/baseline is empty: create it with `pnpm --filter @claimwire/contracts baseline`",
    ).toBeGreaterThan(0);
  });

  it("finds no breaking change against the last released contract", () => {
    const report = formatBreakingChanges(compareArtefactSets(baseline, current));
    if (report) expect.fail(`\n${report}`);
  });
});
