import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const PACKAGE = fileURLToPath(new URL("..", import.meta.url));
const DRIZZLE_KIT = join(PACKAGE, "node_modules", ".bin", "drizzle-kit");
const dir = mkdtempSync(join(tmpdir(), "claimwire-drift-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A schema change without its migration would pass every test (they migrate with the
 * committed files) and fail on the first deployed database. drizzle-kit generates from
 * each schema into a copy of the committed migrations: nothing new may come out.
 */
describe.each([
  { dialect: "sqlite", kitDialect: "sqlite" },
  { dialect: "postgres", kitDialect: "postgresql" },
])("the committed $dialect migrations", ({ dialect, kitDialect }) => {
  // drizzle-kit is a process of its own that loads the schema: slow beside other tests.
  it("match the schema (drizzle-kit generates nothing new)", { timeout: 120_000 }, async () => {
    const out = join(dir, dialect);
    cpSync(join(PACKAGE, "drizzle", dialect), out, { recursive: true });
    const before = readdirSync(out).sort();
    const { stdout } = await promisify(execFile)(
      DRIZZLE_KIT,
      [
        "generate",
        `--dialect=${kitDialect}`,
        `--schema=./src/${dialect}/schema.ts`,
        // drizzle-kit reads --out relative to the working folder only.
        `--out=${relative(PACKAGE, out)}`,
      ],
      { cwd: PACKAGE },
    );
    // drizzle-kit exits 0 even when it fails, so its answer is checked too.
    expect(stdout).toContain("No schema changes");
    expect(readdirSync(out).sort(), "Run pnpm db:generate and commit drizzle/.").toEqual(before);
  });
});
