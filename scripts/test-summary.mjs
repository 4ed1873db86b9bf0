// Adds up the JSON reports that each package's vitest run wrote (restored by turbo from
// its cache when a run was cached) and prints one closing line for the whole workspace.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const packageDirs = ["contracts", "test"];
for (const group of ["apps", "packages", "tooling"]) {
  for (const name of readdirSync(group)) packageDirs.push(join(group, name));
}
const reports = packageDirs
  .map((dir) => join(dir, "test-results", "vitest.json"))
  .filter((file) => existsSync(file))
  .map((file) => JSON.parse(readFileSync(file, "utf8")));

const sum = (key) => reports.reduce((total, report) => total + (report[key] ?? 0), 0);
console.log(`\n${reports.length} packages reported tests`);
console.log(
  `${sum("numPassedTests")} passed, ${sum("numFailedTests")} failed, ${sum("numPendingTests") + sum("numTodoTests")} skipped`,
);
