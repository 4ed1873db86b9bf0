// The contract gate, shown failing: a deliberately incompatible
// producer change (fixtures/incompatible-producer.ts) runs through the same checks as the
// real contract, and each names the consumer, the event type and the field.

import { clinicExpectations } from "@claimwire/clinic/testing/contract";
import * as contracts from "@claimwire/contracts";
import { BASELINE_DIR, readArtefactDir } from "@claimwire/contracts/artefact-files";
import {
  artefactSetFromFiles,
  checkConsumerAgainstArtefacts,
  checkEventsAgainstConsumer,
  collectContractSchemas,
  compareArtefactSets,
  formatBreakingChanges,
  renderArtefacts,
} from "@claimwire/contracts/compat";
import { sdkExpectations } from "@claimwire/sdk/testing/contract";
import { describe, expect, it } from "vitest";
import {
  INCOMPATIBLE_APPROVED_EVENT,
  INCOMPATIBLE_EVENT_SCHEMAS,
} from "./fixtures/incompatible-producer.ts";

const generate = (exports: Record<string, unknown>) =>
  artefactSetFromFiles(renderArtefacts(collectContractSchemas(exports)));
const real = generate(contracts);
const incompatible = generate({ ...contracts, WEBHOOK_EVENT_SCHEMAS: INCOMPATIBLE_EVENT_SCHEMAS });
const aboutApproved = (lines: string[]) => lines.filter((l) => l.includes(" claim.approved"));

describe("an incompatible producer change", () => {
  it("is caught by the structural check of each consumer, naming consumer, event type and field", () => {
    const clinic = checkConsumerAgainstArtefacts(clinicExpectations, incompatible);
    expect(aboutApproved(clinic)).toEqual([
      'clinic ✗ claim.approved: data.status — the consumer accepts only "submitted", "in_review", "needs_info", "approved", "partially_approved", "rejected", "paid", "withdrawn"; the producer may send any string',
      "clinic ✗ claim.approved: data.approvedAmount — the consumer requires it; the producer does not send it",
    ]);
    expect(aboutApproved(checkConsumerAgainstArtefacts(sdkExpectations, incompatible))).toEqual([
      "sdk ✗ claim.approved: data.approvedAmount — the consumer requires it; the producer does not send it",
    ]);
    // The same checks find nothing about claim.approved in the real contract.
    expect(aboutApproved(checkConsumerAgainstArtefacts(clinicExpectations, real))).toEqual([]);
    expect(aboutApproved(checkConsumerAgainstArtefacts(sdkExpectations, real))).toEqual([]);
  });

  it("is caught on the value it would send", () => {
    const sent = [{ source: "incompatible producer", event: INCOMPATIBLE_APPROVED_EVENT }];
    expect(checkEventsAgainstConsumer(clinicExpectations, sent)).toEqual([
      'clinic ✗ claim.approved (incompatible producer): data.status — Invalid option: expected one of "submitted"|"in_review"|"needs_info"|"approved"|"partially_approved"|"rejected"|"paid"|"withdrawn"',
      "clinic ✗ claim.approved (incompatible producer): data.approvedAmount — Invalid input: expected object, received undefined",
    ]);
  });

  it("is stopped by the breaking-change gate against the released baseline", () => {
    const baseline = artefactSetFromFiles(readArtefactDir(BASELINE_DIR));
    const report = formatBreakingChanges(compareArtefactSets(baseline, incompatible));
    expect(report).toContain(
      "✗ event claim.approved: data.approvedAmount — removed (was required) (renamed to 'approvedTotal'?) [field-removed]",
    );
    expect(report).toContain(
      '✗ event claim.approved: data.status — was always "approved", now any string [enum-removed]',
    );
    expect(report).toContain("add 'claim.approved.v2' to WEBHOOK_EVENT_SCHEMAS");
  });
});
