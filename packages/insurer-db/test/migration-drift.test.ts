import { fileURLToPath } from "node:url";
import { generateOverCommittedMigrations } from "@claimwire/testing";
import { describe, expect, it } from "vitest";

const PACKAGE = fileURLToPath(new URL("..", import.meta.url));

describe.each([
  { dialect: "sqlite", kitDialect: "sqlite" },
  { dialect: "postgres", kitDialect: "postgresql" },
] as const)("the committed $dialect migrations", ({ dialect, kitDialect }) => {
  // drizzle-kit is a process of its own that loads the schema: slow beside other tests.
  it("match the schema (drizzle-kit generates nothing new)", { timeout: 120_000 }, async () => {
    const { stdout, added } = await generateOverCommittedMigrations({
      packageDir: PACKAGE,
      dialect: kitDialect,
      schema: `./src/${dialect}/schema.ts`,
      migrationsDir: `drizzle/${dialect}`,
    });
    // drizzle-kit exits 0 even when it fails, so its answer is checked too.
    expect(stdout).toContain("No schema changes");
    expect(added, "Run pnpm db:generate and commit drizzle/.").toEqual([]);
  });
});
