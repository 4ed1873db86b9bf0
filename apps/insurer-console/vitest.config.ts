import preset from "@claimwire/tsconfig/vitest";
import { defineConfig, mergeConfig } from "vitest/config";

// The pure logic of the console (wording, amounts, time ranges, which view a URL shows)
// runs in Node; the views themselves are exercised in a real browser by test/browser/.
export default mergeConfig(
  preset,
  defineConfig({
    // The console reads and writes times in the browser's time zone: tests pin one
    // (with summer time) so that their local times mean one instant.
    test: { env: { TZ: "Europe/Berlin" } },
  }),
);
