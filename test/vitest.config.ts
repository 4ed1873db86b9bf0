import preset from "@claimwire/tsconfig/vitest";
import { defineConfig, mergeConfig } from "vitest/config";

export default mergeConfig(
  preset,
  defineConfig({
    test: {
      // e2e/ and chaos/ (its short form) run as `test`; browser/, sdk-package/ and three
      // quick e2e files as `test:short`, contract/ as `test:contract` (each its own
      // report file); `test:chaos` runs chaos/ alone (vitest.chaos.config.ts).
      include: [
        "e2e/**/*.test.ts",
        "chaos/**/*.test.ts",
        "contract/**/*.test.ts",
        "browser/**/*.test.ts",
        "sdk-package/**/*.test.ts",
      ],
      // Each file starts a whole system of processes; one file at a time on 2 cores.
      fileParallelism: false,
    },
  }),
);
