import { describe, expect, it } from "vitest";
import { createSsrfGuard, SsrfBlockedError } from "./ssrf-guard.ts";

const guard = createSsrfGuard();

function blockedBy(address: string) {
  const verdict = guard.check(address);
  return verdict.allowed ? "allowed" : verdict.range;
}

describe("the SSRF guard with an empty allow-list", () => {
  it.each([
    ["127.0.0.1", "127.0.0.0/8"],
    ["127.255.255.254", "127.0.0.0/8"],
    ["::1", "::1/128"],
    ["0.0.0.0", "0.0.0.0/8"],
    ["0.1.2.3", "0.0.0.0/8"],
    ["::", "::/128"],
    ["10.0.0.1", "10.0.0.0/8"],
    ["172.16.0.1", "172.16.0.0/12"],
    ["172.31.255.255", "172.16.0.0/12"],
    ["192.168.1.1", "192.168.0.0/16"],
    ["100.64.0.1", "100.64.0.0/10"],
    ["100.127.255.255", "100.64.0.0/10"],
    ["169.254.169.254", "169.254.0.0/16"],
    ["fe80::1", "fe80::/10"],
    ["fe80::1%eth0", "fe80::/10"],
    ["fc00::1", "fc00::/7"],
    ["fd00:ec2::254", "fc00::/7"],
    ["224.0.0.1", "224.0.0.0/4"],
    ["239.255.255.250", "224.0.0.0/4"],
    ["240.0.0.1", "240.0.0.0/4"],
    ["255.255.255.255", "240.0.0.0/4"],
    ["ff02::1", "ff00::/8"],
    ["198.18.0.1", "198.18.0.0/15"],
    ["198.19.255.255", "198.18.0.0/15"],
    ["192.0.0.8", "192.0.0.0/24"],
  ])("blocks %s (%s)", (address, range) => {
    expect(blockedBy(address)).toBe(range);
  });

  it.each([
    ["::ffff:127.0.0.1", "127.0.0.0/8"],
    ["::ffff:7f00:1", "127.0.0.0/8"],
    ["::FFFF:7F00:0001", "127.0.0.0/8"],
    ["[::ffff:127.0.0.1]", "127.0.0.0/8"],
    ["::ffff:a9fe:a9fe", "169.254.0.0/16"],
    ["::ffff:10.1.2.3", "10.0.0.0/8"],
    ["::ffff:c0a8:101", "192.168.0.0/16"],
    ["::ffff:0.0.0.0", "0.0.0.0/8"],
    ["64:ff9b::127.0.0.1", "127.0.0.0/8"],
    ["64:ff9b::a9fe:a9fe", "169.254.0.0/16"],
    ["::127.0.0.1", "127.0.0.0/8"],
  ])("blocks the IPv4 address inside %s (%s)", (address, range) => {
    expect(blockedBy(address)).toBe(range);
  });

  it.each([
    "93.184.215.14",
    "8.8.8.8",
    "1.1.1.1",
    "172.32.0.1",
    "100.128.0.1",
    "2606:4700:4700::1111",
    "::ffff:8.8.8.8",
    "64:ff9b::808:808",
  ])("allows the public address %s", (address) => {
    expect(guard.check(address)).toEqual({ allowed: true });
  });

  it("refuses a hostname, which must be resolved before it can be judged", () => {
    expect(guard.check("localhost").allowed).toBe(false);
  });

  it("names the address, the range and the rule in the error", () => {
    const verdict = guard.check("::ffff:169.254.169.254");
    if (verdict.allowed) throw new Error("expected a block");
    const error = new SsrfBlockedError(verdict);
    expect(error.code).toBe("ERR_SSRF_BLOCKED");
    expect(error.message).toContain("::ffff:169.254.169.254 (IPv4 169.254.169.254)");
    expect(error.message).toContain("169.254.0.0/16, link-local");
    expect(error.message).toContain("metadata");
  });
});

describe("the allow-list (DELIVERY_ALLOW_PRIVATE_NETWORKS)", () => {
  const loopback = createSsrfGuard({ allow: ["127.0.0.0/8", "::1/128"] });

  it("exempts exactly the listed ranges", () => {
    expect(loopback.check("127.0.0.1").allowed).toBe(true);
    expect(loopback.check("::1").allowed).toBe(true);
    expect(loopback.check("::ffff:127.0.0.1").allowed).toBe(true);
    expect(loopback.check("10.0.0.1").allowed).toBe(false);
    expect(loopback.check("169.254.169.254").allowed).toBe(false);
    expect(loopback.check("fd00:ec2::254").allowed).toBe(false);
  });

  it("takes a bare address as a single host", () => {
    const one = createSsrfGuard({ allow: ["10.1.2.3"] });
    expect(one.check("10.1.2.3").allowed).toBe(true);
    expect(one.check("10.1.2.4").allowed).toBe(false);
  });

  it("rejects an entry that is not a CIDR, naming it", () => {
    for (const entry of ["localhost", "10.0.0.0/33", "10.0.0.0/", "::1/129", "1.2.3.4/8/1"]) {
      expect(() => createSsrfGuard({ allow: [entry] })).toThrow(entry);
    }
  });
});
