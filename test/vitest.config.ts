import preset from "@claimwire/tsconfig/vitest";
import { defineConfig, mergeConfig } from "vitest/config";

export default mergeConfig(
  preset,
  defineConfig({
    test: {
      // e2e/ runs as `test`, contract/ as `test:contract` (its own report file).
      include: ["e2e/**/*.test.ts", "contract/**/*.test.ts"],
      // Each file starts a whole system of processes; one file at a time on 2 cores.
      fileParallelism: false,
    },
  }),
);
