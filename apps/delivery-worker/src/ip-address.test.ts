import { describe, expect, it } from "vitest";
import { embeddedIpv4, parseCidr, parseIpAddress } from "./ip-address.ts";

describe("parseIpAddress", () => {
  it("drops brackets and zone ids and lower-cases IPv6", () => {
    expect(parseIpAddress("[::1]")).toEqual({ address: "::1", family: "ipv6" });
    expect(parseIpAddress("FE80::1%eth0")).toEqual({ address: "fe80::1", family: "ipv6" });
    expect(parseIpAddress("10.0.0.1")).toEqual({ address: "10.0.0.1", family: "ipv4" });
    expect(parseIpAddress("hooks.clinic.example")).toBeUndefined();
  });
});

describe("parseCidr", () => {
  it("reads IPv4 and IPv6 ranges and bare addresses", () => {
    expect(parseCidr(" 127.0.0.0/8 ")).toEqual({ address: "127.0.0.0", family: "ipv4", prefix: 8 });
    expect(parseCidr("::1/128")).toEqual({ address: "::1", family: "ipv6", prefix: 128 });
    expect(parseCidr("10.1.2.3").prefix).toBe(32);
  });
});

describe("embeddedIpv4", () => {
  it("finds the IPv4 address in mapped, compatible and NAT64 forms", () => {
    expect(embeddedIpv4("::ffff:7f00:1")).toBe("127.0.0.1");
    expect(embeddedIpv4("::ffff:127.0.0.1")).toBe("127.0.0.1");
    expect(embeddedIpv4("0:0:0:0:0:ffff:a9fe:a9fe")).toBe("169.254.169.254");
    expect(embeddedIpv4("64:ff9b::192.168.0.1")).toBe("192.168.0.1");
    expect(embeddedIpv4("::10.0.0.1")).toBe("10.0.0.1");
  });

  it("finds none in an ordinary IPv6 address", () => {
    expect(embeddedIpv4("2606:4700:4700::1111")).toBeUndefined();
    expect(embeddedIpv4("fd00:ec2::254")).toBeUndefined();
    expect(embeddedIpv4("::ffff:1:7f00:1")).toBeUndefined();
  });
});
