import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { promisify } from "node:util";

/**
 * A schema change without its migration would pass every test that migrates with the
 * committed files and fail on the first deployed database. This runs drizzle-kit generate
 * from `schema` into a copy of the committed migrations and says what came out: when they
 * match, drizzle-kit prints "No schema changes" and adds no file.
 *
 * @example
 * const { stdout, added } = await generateOverCommittedMigrations({
 *   packageDir, dialect: "sqlite", schema: "./src/schema.ts", migrationsDir: "drizzle",
 * });
 */
export async function generateOverCommittedMigrations(opts: {
  /** The package folder: drizzle-kit runs there, from its node_modules. */
  packageDir: string;
  dialect: "sqlite" | "postgresql";
  /** The schema file, relative to the package folder. */
  schema: string;
  /** The committed migrations, relative to the package folder. */
  migrationsDir: string;
}): Promise<{ stdout: string; added: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), "claimwire-drift-"));
  try {
    cpSync(join(opts.packageDir, opts.migrationsDir), dir, { recursive: true });
    const before = new Set(readdirSync(dir));
    const { stdout } = await promisify(execFile)(
      join(opts.packageDir, "node_modules", ".bin", "drizzle-kit"),
      [
        "generate",
        `--dialect=${opts.dialect}`,
        `--schema=${opts.schema}`,
        // drizzle-kit reads --out relative to the working folder only.
        `--out=${relative(opts.packageDir, dir)}`,
      ],
      { cwd: opts.packageDir },
    );
    return { stdout, added: readdirSync(dir).filter((name) => !before.has(name)) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
