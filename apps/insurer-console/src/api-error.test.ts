import { TRPCClientError } from "@trpc/client";
import { describe, expect, it } from "vitest";
import { errorMessage, httpStatusOf } from "./api-error.ts";

/** A failed call as the tRPC client reports it, with the insurer's answer if there was one. */
function failedCall(message: string, httpStatus?: number) {
  return new TRPCClientError(message, {
    result: {
      error: { code: -32004, message, data: httpStatus === undefined ? undefined : { httpStatus } },
    },
  });
}

describe("errorMessage", () => {
  it("shows the insurer's own message, which names what is wrong", () => {
    const error = failedCall("No claim with id 'clm_01JDQ7'", 404);
    expect(errorMessage(error)).toBe("No claim with id 'clm_01JDQ7'");
    expect(httpStatusOf(error)).toBe(404);
  });

  it("says the insurer could not be reached when no answer came", () => {
    expect(errorMessage(new TRPCClientError("Failed to fetch"))).toBe(
      "The insurer could not be reached. Check that it is running and try again.",
    );
  });

  it("shows any other error's message", () => {
    expect(errorMessage(new Error("Unexpected token"))).toBe("Unexpected token");
    expect(errorMessage("offline")).toBe("offline");
    expect(httpStatusOf(new Error("HTTP 500"))).toBeUndefined();
  });
});
