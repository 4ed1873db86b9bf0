import { fileURLToPath } from "node:url";
import { generateOverCommittedMigrations } from "@claimwire/testing";
import { describe, expect, it } from "vitest";

const PACKAGE = fileURLToPath(new URL("..", import.meta.url));

describe("the committed migrations", () => {
  // drizzle-kit is a process of its own that loads the schema: slow beside other tests.
  it("match the schema (drizzle-kit generates nothing new)", { timeout: 120_000 }, async () => {
    const { stdout, added } = await generateOverCommittedMigrations({
      packageDir: PACKAGE,
      dialect: "sqlite",
      schema: "./src/schema.ts",
      migrationsDir: "drizzle",
    });
    // drizzle-kit exits 0 even when it fails, so its answer is checked too.
    expect(stdout).toContain("No schema changes");
    expect(added, "Run pnpm db:generate and commit drizzle/.").toEqual([]);
  });
});
