// The SDK README shows these examples as they are: each is typechecked (tsconfig.json
// includes examples/) and run by a test: test/receivers.test.ts, and the root
// test/sdk-package/ for the REST example (from the packed SDK, against a live system).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const read = (path: string) => readFileSync(new URL(path, import.meta.url), "utf8");
const EXAMPLES = [
  "receivers/express.ts",
  "receivers/fastify.ts",
  "receivers/hono.ts",
  "receivers/next-route.ts",
  "rest-client.ts",
];

describe("README.md", () => {
  it.each(EXAMPLES)("shows examples/%s as it is", (example) => {
    const code = read(`../examples/${example}`).trim();
    expect(read("../README.md").includes(`\`\`\`ts\n${code}\n\`\`\``)).toBe(true);
  });
});
