import preset from "@claimwire/tsconfig/vitest";
import { defineConfig, mergeConfig } from "vitest/config";

export default mergeConfig(
  preset,
  defineConfig({
    test: {
      // `test:long` runs the long fault runs (chaos/ in its short form, and the e2e files
      // that time a kill or a backlog: isolation, worker-crash, rate-limit-across-workers),
      // `test` everything else but contract/, which `test:contract` runs (each its own
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
