// Adds up the JSON reports that each package's vitest run wrote (restored by turbo from
// its cache when a run was cached) and prints one closing line for the whole workspace.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const packageDirs = ["contracts", "test", "ops"];
for (const group of ["apps", "packages", "tooling"]) {
  for (const name of readdirSync(group)) packageDirs.push(join(group, name));
}
// One report per vitest run: `vitest.json` (test) and `vitest.contract.json` (test:contract).
const reportFiles = packageDirs.flatMap((dir) => {
  const results = join(dir, "test-results");
  if (!existsSync(results)) return [];
  return readdirSync(results)
    .filter((name) => /^vitest(\.[\w-]+)?\.json$/.test(name))
    .map((name) => join(results, name));
});
const reports = reportFiles.map((file) => JSON.parse(readFileSync(file, "utf8")));
const packagesReporting = new Set(reportFiles.map((file) => join(file, "..", "..")));

const sum = (key) => reports.reduce((total, report) => total + (report[key] ?? 0), 0);
console.log(`\n${packagesReporting.size} packages reported tests (${reports.length} test runs)`);
console.log(
  `${sum("numPassedTests")} passed, ${sum("numFailedTests")} failed, ${sum("numPendingTests") + sum("numTodoTests")} skipped`,
);

// Name each failed test last, where a reader of a long log looks first.
for (const [index, report] of reports.entries()) {
  for (const file of report.testResults ?? []) {
    for (const test of file.assertionResults ?? []) {
      if (test.status !== "failed") continue;
      console.log(`FAILED ${join(reportFiles[index], "..", "..")} › ${test.fullName}`);
      const firstLine = String(test.failureMessages?.[0] ?? "").split("\n")[0];
      if (firstLine) console.log(`  ${firstLine.slice(0, 300)}`);
    }
    if (file.status === "failed" && (file.assertionResults ?? []).length === 0) {
      console.log(`FAILED ${file.name}: ${String(file.message ?? "").split("\n")[0].slice(0, 300)}`);
    }
  }
}
