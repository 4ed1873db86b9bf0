import { describe, expect, it } from "vitest";
import { decodeSafePath, hasDotDotSegment } from "./safe-path.ts";

describe("decodeSafePath", () => {
  it("decodes paths inside the folder", () => {
    expect(decodeSafePath("")).toBe("");
    expect(decodeSafePath("assets/app-1a2b.js")).toBe("assets/app-1a2b.js");
    expect(decodeSafePath("a%20b.txt")).toBe("a b.txt");
  });

  it("refuses every spelling of a way out, and malformed escapes", () => {
    for (const raw of [
      "../package.json",
      "%2e%2e/package.json",
      "assets/..%2f..%2fpackage.json",
      "%2E%2E%2F%2E%2E%2Fsrc%2Fmain.ts",
      "..%5c..%5cpackage.json",
      "%00index.html",
      "%2fetc%2fpasswd",
      "%E0%A4%A",
    ]) {
      expect(decodeSafePath(raw), raw).toBeNull();
    }
  });
});

describe("hasDotDotSegment", () => {
  it("finds literal and encoded '..' segments in the path only", () => {
    expect(hasDotDotSegment("/console/../package.json")).toBe(true);
    expect(hasDotDotSegment("/console/%2e%2E/package.json")).toBe(true);
    expect(hasDotDotSegment("/console/a..b/c?x=/../")).toBe(false);
  });
});
