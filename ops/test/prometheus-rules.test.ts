import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { prometheusConfigDir } from "../src/index.ts";

const prometheusDir = prometheusConfigDir;
const testsDir = join(prometheusDir, "tests");
const runbook = readFileSync(join(import.meta.dirname, "..", "..", "docs", "runbook.md"), "utf8");

type Rule = {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
};
type RuleGroup = { name: string; rules: Rule[] };
type AlertTest = { alertname: string; exp_alerts?: unknown[] };
type RulesTestFile = { rule_files: string[]; tests: { alert_rule_test?: AlertTest[] }[] };

const groups = (
  parse(readFileSync(join(prometheusDir, "alerts.yml"), "utf8")) as {
    groups: RuleGroup[];
  }
).groups;
const testFiles = readdirSync(testsDir).filter((f) => f.endsWith(".test.yml"));

/** promtool (Debian package `prometheus`), or a failure that says how to get it. */
function promtool(args: string[]): { status: number | null; output: string } {
  const run = spawnSync("promtool", args, { cwd: prometheusDir, encoding: "utf8" });
  if (run.error && (run.error as NodeJS.ErrnoException).code === "ENOENT") {
    throw new Error(
      "promtool is not installed: these tests check ops/prometheus with it. " +
        "Install it with `apt-get install prometheus` (Debian/Ubuntu; .ci/run does) " +
        "or `brew install prometheus` (macOS).",
    );
  }
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

/** GitHub's anchor of each markdown heading: lower case, punctuation dropped, spaces to dashes. */
function headingAnchors(markdown: string): Set<string> {
  const anchors = markdown
    .split("\n")
    .filter((line) => /^#{1,6} /.test(line))
    .map((line) =>
      line
        .replace(/^#+ /, "")
        .trim()
        .toLowerCase()
        .replace(/[^\w\- ]/g, "")
        .replace(/ /g, "-"),
    );
  return new Set(anchors);
}

describe("ops/prometheus", () => {
  it("promtool accepts the scrape configuration and the alerting rules", () => {
    const config = promtool(["check", "config", "prometheus.yml"]);
    expect(config.output).toContain("SUCCESS");
    expect(config.status, config.output).toBe(0);
    const rules = promtool(["check", "rules", "alerts.yml"]);
    expect(rules.status, rules.output).toBe(0);
  });

  it.each(testFiles)("promtool test rules tests/%s passes", (file) => {
    const run = promtool(["test", "rules", join("tests", file)]);
    expect(run.status, run.output).toBe(0);
  });

  it("gives every alert a for, a severity, a summary, a description and a runbook section", () => {
    const anchors = headingAnchors(runbook);
    for (const rule of groups.flatMap((g) => g.rules)) {
      expect(rule.for, `${rule.alert}: for`).toMatch(/^\d+[smh]$/);
      expect(["critical", "warning"], `${rule.alert}: severity`).toContain(rule.labels?.severity);
      expect(rule.annotations?.summary, `${rule.alert}: summary`).toBeTruthy();
      expect(rule.annotations?.description, `${rule.alert}: description`).toBeTruthy();
      const url = rule.annotations?.runbook_url ?? "";
      expect(url, `${rule.alert}: runbook_url`).toBe(`docs/runbook.md#${rule.alert.toLowerCase()}`);
      expect(anchors.has(url.split("#")[1]!), `docs/runbook.md has no section for ${url}`).toBe(
        true,
      );
      const section = runbook.split(/^## /m).find((s) => s.startsWith(`${rule.alert}\n`));
      expect(section, `docs/runbook.md, ${rule.alert}: what to do`).toMatch(/\*\*What to do/);
    }
  });

  it("tests every alert both firing and not firing, a test file per group", () => {
    const tested = new Map<string, { fires: boolean; stays: boolean }>();
    for (const file of testFiles) {
      const spec = parse(readFileSync(join(testsDir, file), "utf8")) as RulesTestFile;
      expect(spec.rule_files, file).toEqual(["../alerts.yml"]);
      for (const check of spec.tests.flatMap((t) => t.alert_rule_test ?? [])) {
        const seen = tested.get(check.alertname) ?? { fires: false, stays: false };
        if ((check.exp_alerts ?? []).length > 0) seen.fires = true;
        else seen.stays = true;
        tested.set(check.alertname, seen);
      }
    }
    for (const group of groups) {
      expect(testFiles, `a test file for ${group.name}`).toContain(
        `${group.name.replace(/^claimwire-/, "")}.test.yml`,
      );
      for (const { alert } of group.rules) {
        expect(tested.get(alert), `${alert} tested firing and not firing`).toEqual({
          fires: true,
          stays: true,
        });
      }
    }
  });
});
