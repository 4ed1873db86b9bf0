import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { MessageOutcome } from "./inbox-message-cells.tsx";

const textOf = (element: React.ReactElement) =>
  renderToStaticMarkup(element).replace(/<[^>]+>/g, "");

describe("MessageOutcome", () => {
  it("reads the state as staff do on both the inbox and the claim page, with attempts, error and note", () => {
    expect(
      textOf(
        <MessageOutcome
          message={{ state: "failed", attempts: 2, error: "boom", note: "kept for operators" }}
        />,
      ),
    ).toBe("Refused (2 failed attempts) — boom — kept for operators");
    expect(
      textOf(
        <MessageOutcome message={{ state: "applied", attempts: 0, error: null, note: null }} />,
      ),
    ).toBe("Applied");
  });
});
