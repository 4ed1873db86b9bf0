import { describe, expect, it } from "vitest";
import { waitFor } from "./wait-for.ts";

describe("waitFor", () => {
  it("resolves with the first truthy value, treating falsy values and throws as not yet", async () => {
    const answers: unknown[] = [undefined, false, null, 0, "boom", "ready"];
    let calls = 0;
    const value = await waitFor(
      "the fifth probe",
      () => {
        const answer = answers[calls++];
        if (answer === "boom") throw new Error("not up yet");
        return answer as string | undefined;
      },
      { intervalMs: 1 },
    );
    expect(value).toBe("ready");
    expect(calls).toBe(6);
  });

  it("names what it waited for and the last probe's error when it gives up", async () => {
    const failure = await waitFor(
      "the baseline burst",
      () => {
        throw new Error("3 of 10 arrived");
      },
      { timeoutMs: 30, intervalMs: 5 },
    ).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toMatch(
      /^condition not met: the baseline burst \(waited 30 ms; last probe gave 3 of 10 arrived\)$/,
    );
    expect(((failure as Error).cause as Error).message).toBe("3 of 10 arrived");
  });
});
