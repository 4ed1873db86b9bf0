import preset from "@claimwire/tsconfig/vitest";
import { defineConfig, mergeConfig } from "vitest/config";

// `pnpm test:chaos` (chaos/run-chaos.ts): the chaos suite alone, short form by default,
// long form with --long. Its own report file, so it does not overwrite `test`'s.
export default mergeConfig(
  preset,
  defineConfig({
    test: {
      include: ["chaos/**/*.test.ts"],
      fileParallelism: false,
      outputFile: { json: "test-results/vitest.chaos.json" },
    },
  }),
);
