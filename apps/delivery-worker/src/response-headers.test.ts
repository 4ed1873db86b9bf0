import { describe, expect, it } from "vitest";
import { keptResponseHeaders } from "./response-headers.ts";

describe("keptResponseHeaders", () => {
  it("keeps the headers that explain an answer, lower-cased, and drops the rest", () => {
    expect(
      keptResponseHeaders({
        "Content-Type": "text/plain",
        "retry-after": "30",
        location: "https://elsewhere.example/",
        "x-request-id": "req_1",
        "set-cookie": ["session=secret"],
        authorization: "Bearer nope",
        "x-powered-by": "php",
      }),
    ).toEqual({
      "content-type": "text/plain",
      "retry-after": "30",
      location: "https://elsewhere.example/",
      "x-request-id": "req_1",
    });
  });

  it("joins repeated values and cuts absurdly long ones", () => {
    const kept = keptResponseHeaders({ server: ["a", "b"], date: "x".repeat(5_000) });
    expect(kept.server).toBe("a, b");
    expect(kept.date).toHaveLength(512);
  });
});
