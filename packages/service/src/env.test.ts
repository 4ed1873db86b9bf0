import { describe, expect, it } from "vitest";
import { z } from "zod";
import { parseEnv } from "./env.ts";

const Schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  URL: z.url(),
  LEVEL: z.enum(["info", "debug"]).default("info"),
});

describe("parseEnv", () => {
  it("returns the parsed values with their defaults", () => {
    expect(parseEnv(Schema, { URL: "http://x.test" }, "demo")).toEqual({
      PORT: 3000,
      URL: "http://x.test",
      LEVEL: "info",
    });
  });

  it("names the app and every bad variable in one error", () => {
    let message = "";
    try {
      parseEnv(Schema, { PORT: "http", LEVEL: "loud" }, "demo");
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/^Invalid demo environment:\n/);
    expect(message).toContain("→ at PORT");
    expect(message).toContain("→ at URL");
    expect(message).toContain("→ at LEVEL");
  });
});
