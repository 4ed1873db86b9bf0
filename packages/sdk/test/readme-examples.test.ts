// The SDK README shows these examples as they are: each is typechecked (tsconfig.json
// includes examples/) and run by a test (test/receivers.test.ts, test/rest-client.test.ts).
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
