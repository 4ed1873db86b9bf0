import { describe, expect, it } from "vitest";
import { readCliArgs } from "./cli-args.ts";

describe("readCliArgs", () => {
  it("separates the command's words from the options, wherever they stand", () => {
    expect(readCliArgs(["--json", "keys", "create", "cln_1", "--name=billing"])).toEqual({
      words: ["keys", "create", "cln_1"],
      json: true,
      help: false,
      name: "billing",
    });
    expect(readCliArgs(["-h"]).help).toBe(true);
    expect(readCliArgs(["clinics", "create", "--", "--odd name"]).words).toEqual([
      "clinics",
      "create",
      "--odd name",
    ]);
  });

  it.each([
    [["keys", "list", "x", "--verbose"], "unknown option '--verbose'"],
    [["keys", "list", "-x"], "unknown option '-x'"],
    [["keys", "create", "cln_1", "--name"], "--name needs a value"],
    [["keys", "create", "cln_1", "--name", "--json"], "--name needs a value"],
    [["keys", "create", "cln_1", "--name="], "--name needs a value"],
    [["keys", "list", "x", "--json=yes"], "--json takes no value"],
  ])("refuses %j: %s", (argv, message) => {
    expect(() => readCliArgs(argv)).toThrow(message);
  });
});
