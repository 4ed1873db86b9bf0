import { describe, expect, it } from "vitest";
import { DomainError } from "./domain-error.ts";
import { validateEndpointUrl } from "./endpoint-url.ts";

function refusal(url: string, allowHttp = false): string {
  try {
    validateEndpointUrl(url, { allowHttp });
  } catch (err) {
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe("BAD_REQUEST");
    return (err as DomainError).message;
  }
  throw new Error(`'${url}' was accepted`);
}

describe("validateEndpointUrl", () => {
  it("accepts https, and http only when allowed", () => {
    expect(() =>
      validateEndpointUrl("https://mis.clinic.example/hooks?x=1", { allowHttp: false }),
    ).not.toThrow();
    expect(() =>
      validateEndpointUrl("http://127.0.0.1:3000/webhooks", { allowHttp: true }),
    ).not.toThrow();
    expect(refusal("http://mis.clinic.example/hooks")).toBe(
      "url: must use https ('http://mis.clinic.example' is plain http, which this insurer does not deliver to)",
    );
  });

  it("refuses other schemes, credentials, fragments and non-URLs with a message naming the field", () => {
    expect(refusal("ftp://mis.clinic.example/", true)).toBe("url: must be an http(s) URL");
    expect(refusal("file:///etc/passwd", true)).toBe("url: must be an http(s) URL");
    expect(refusal("https://user:pw@mis.clinic.example/")).toMatch(
      /^url: must not contain credentials/,
    );
    expect(refusal("https://mis.clinic.example/#frag")).toBe(
      "url: must not contain a fragment (#…)",
    );
    expect(refusal("not a url")).toBe("url: is not a valid URL");
  });
});
