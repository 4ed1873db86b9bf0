import { parseAllowList } from "@claimwire/address-policy";
import { describe, expect, it } from "vitest";
import { DomainError } from "./domain-error.ts";
import { validateEndpointUrl } from "./endpoint-url.ts";

function refusal(url: string, allowHttp = false, allow: string[] = []): string {
  try {
    validateEndpointUrl(url, { allowHttp, allowList: parseAllowList(allow) });
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
      validateEndpointUrl("http://127.0.0.1:3000/webhooks", {
        allowHttp: true,
        allowList: parseAllowList(["127.0.0.0/8"]),
      }),
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

  it("refuses an IP literal the delivery policy refuses, naming its range, unless allowed", () => {
    expect(refusal("https://10.0.0.7/hooks")).toBe(
      "url: address 10.0.0.7 is in the private range, which deliveries may not reach (ENDPOINT_ALLOW_PRIVATE_NETWORKS can allow a range)",
    );
    expect(refusal("https://169.254.169.254/latest/meta-data")).toMatch(
      /^url: address 169\.254\.169\.254 is in the linkLocal range/,
    );
    expect(refusal("https://[::1]:8443/hooks")).toMatch(
      /^url: address ::1 is in the loopback range/,
    );
    expect(refusal("https://[::ffff:7f00:1]/hooks")).toMatch(
      /\(IPv4 127\.0\.0\.1\) is in the loopback range/,
    );
    // Shorthand and hex forms are read as a socket reads them, so they cannot slip through.
    expect(refusal("http://127.1:3000/hooks", true)).toMatch(
      /^url: address 127\.0\.0\.1 is in the loopback/,
    );
    expect(refusal("http://0x7f.0.0.1/hooks", true)).toMatch(
      /^url: address 127\.0\.0\.1 is in the loopback/,
    );
    // Allowed ranges, public addresses and names pass (names are checked when dialed).
    expect(() =>
      validateEndpointUrl("https://10.0.0.7/hooks", {
        allowHttp: false,
        allowList: parseAllowList(["10.0.0.0/8"]),
      }),
    ).not.toThrow();
    expect(() =>
      validateEndpointUrl("https://93.184.215.14/hooks", { allowHttp: false }),
    ).not.toThrow();
    expect(() =>
      validateEndpointUrl("https://localhost/hooks", { allowHttp: false }),
    ).not.toThrow();
  });
});
