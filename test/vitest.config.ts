import preset from "@claimwire/tsconfig/vitest";
import { defineConfig, mergeConfig } from "vitest/config";

export default mergeConfig(
  preset,
  defineConfig({
    test: {
      include: ["e2e/**/*.test.ts"],
      // Each file starts a whole system of processes; one file at a time on 2 cores.
      fileParallelism: false,
    },
  }),
);
