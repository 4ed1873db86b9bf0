import { describe, expect, it } from "vitest";
import { sendableCustomHeaders } from "./custom-headers.ts";

describe("sendableCustomHeaders", () => {
  it("keeps an endpoint's own headers as given", () => {
    expect(sendableCustomHeaders({ "X-Route": "north", Authorization: "Basic abc" })).toEqual({
      "X-Route": "north",
      Authorization: "Basic abc",
    });
  });

  it("drops reserved and malformed names, unsafe values and case-only repeats", () => {
    expect(
      sendableCustomHeaders({
        "Webhook-Signature": "v1,forged",
        "content-length": "1",
        Connection: "close",
        "Bad Name": "x",
        "X-Injected": "a\r\nHost: evil",
        "X-Nul": "a\u0000b",
        "X-Once": "first",
        "x-once": "second",
      }),
    ).toEqual({ "X-Once": "first" });
  });
});
