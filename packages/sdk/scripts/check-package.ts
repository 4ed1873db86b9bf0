/**
 * Checks the SDK as it would be published: packs it with pnpm (publishConfig applied,
 * `catalog:` and `workspace:` replaced, the root .pnpmfile.cjs' `beforePacking` run),
 * then checks the tarball's package.json, and runs publint and Are the Types Wrong (attw)
 * on the tarball itself. Offline: nothing is fetched. Run by the package's `test` task
 * (after `build`); alone: `pnpm --filter @claimwire/sdk build && pnpm --filter
 * @claimwire/sdk check:package`.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const SDK_DIR = fileURLToPath(new URL("..", import.meta.url));
const REPO_ROOT = join(SDK_DIR, "../..");
const LOCAL_PNPM = join(REPO_ROOT, ".tools/node_modules/.bin/pnpm");
const PNPM = existsSync(LOCAL_PNPM) ? LOCAL_PNPM : "pnpm";
const bin = (name: string) => join(SDK_DIR, "node_modules/.bin", name);

/** What the packed package.json must say: what a consumer's package manager reads. */
function manifestProblems(manifest: Record<string, unknown>): string[] {
  const problems: string[] = [];
  if (manifest.private) problems.push("it is `private`: it cannot be published");
  for (const field of ["dependencies", "peerDependencies", "optionalDependencies"]) {
    const deps = (manifest[field] ?? {}) as Record<string, string>;
    for (const [name, range] of Object.entries(deps)) {
      // Our workspace packages are bundled into dist/ (tsup.config.ts), never depended on.
      if (name.startsWith("@claimwire/")) problems.push(`${field}.${name}: bundle it instead`);
      if (!/^\^\d+\.\d+\.\d+$/.test(range)) {
        problems.push(`${field}.${name} is '${range}', not a caret range (^x.y.z)`);
      }
    }
  }
  for (const field of ["devDependencies", "scripts"]) {
    if (field in manifest) problems.push(`${field} is published (.pnpmfile.cjs removes it)`);
  }
  const text = JSON.stringify(manifest);
  for (const protocol of ["workspace:", "catalog:"]) {
    if (text.includes(protocol)) problems.push(`a '${protocol}' reference is left in it`);
  }
  return problems;
}

function run(command: string, args: string[], options: { cwd?: string } = {}): string {
  return execFileSync(command, args, {
    ...options,
    encoding: "utf8",
    // pnpm's own variables (npm_config_*, npm_package_*) would configure the nested pnpm.
    env: Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key))),
    stdio: ["ignore", "pipe", "inherit"],
  });
}

if (!existsSync(join(SDK_DIR, "dist/index.js")) || !existsSync(join(SDK_DIR, "dist/rest.js"))) {
  console.error("check-package: dist/ is missing: run `pnpm --filter @claimwire/sdk build` first");
  process.exit(1);
}

const packDir = mkdtempSync(join(tmpdir(), "claimwire-sdk-check-"));
let failed = false;
try {
  const packed = JSON.parse(
    run(PNPM, ["pack", "--json", "--pack-destination", packDir], { cwd: SDK_DIR }),
  ) as { filename: string; files: { path: string }[] };
  const tarball = packed.filename;
  const files = packed.files.map((file) => file.path).sort();
  console.log(`check-package: ${tarball}\n  ${files.join("\n  ")}`);

  const manifest = JSON.parse(run("tar", ["-xzOf", tarball, "package/package.json"]));
  const problems = manifestProblems(manifest);
  for (const wanted of ["CHANGELOG.md", "README.md"]) {
    if (!files.includes(wanted)) problems.push(`${wanted} is not in the tarball`);
  }
  if (problems.length > 0) {
    failed = true;
    console.error(`✗ the packed package.json:\n  ${problems.join("\n  ")}`);
  } else {
    const ranges = { ...manifest.dependencies, ...manifest.peerDependencies };
    console.log(`✓ the packed package.json: ${JSON.stringify(ranges)}`);
  }

  // Both read the tarball as it is; a problem exits non-zero with their own report.
  for (const [name, args] of [
    ["publint", ["run", tarball, "--strict"]],
    ["attw", [tarball, "--format", "ascii", "--no-color", "--no-emoji"]],
  ] as const) {
    try {
      console.log(run(bin(name), [...args]).trim());
      console.log(`✓ ${name}`);
    } catch (error) {
      failed = true;
      console.error(`${(error as { stdout?: string }).stdout ?? ""}\n✗ ${name}`);
    }
  }
} finally {
  rmSync(packDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
