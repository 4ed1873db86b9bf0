import { defineConfig } from "vitest/config";

export default defineConfig({
  // Integration tests start a nats-server and wait for real retries.
  test: { testTimeout: 30_000, hookTimeout: 30_000 },
});
