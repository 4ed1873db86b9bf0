import { describe, expect, it } from "vitest";
import { describeRefusedAddress, parseAllowList } from "./address-policy.ts";

/** The range a refusal names ("… is in the loopback range …"), or "allowed". */
function refusedAs(address: string, allow: readonly string[] = []) {
  const refusal = describeRefusedAddress(address, parseAllowList(allow));
  if (refusal === null) return "allowed";
  return refusal.match(/is in the (\S+) range/)?.[1] ?? refusal;
}

describe("describeRefusedAddress with an empty allow-list", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["127.255.255.254", "loopback"],
    ["::1", "loopback"],
    ["0.0.0.0", "unspecified"],
    ["0.1.2.3", "unspecified"],
    ["::", "unspecified"],
    ["10.0.0.1", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.1", "private"],
    ["100.64.0.1", "carrierGradeNat"],
    ["100.127.255.255", "carrierGradeNat"],
    ["169.254.169.254", "linkLocal"],
    ["fe80::1", "linkLocal"],
    ["fe80::1%eth0", "linkLocal"],
    ["[fe80::1]", "linkLocal"],
    ["fc00::1", "uniqueLocal"],
    ["fd00:ec2::254", "uniqueLocal"],
    ["fec0::1", "deprecatedSiteLocal"],
    ["224.0.0.1", "multicast"],
    ["239.255.255.250", "multicast"],
    ["ff02::1", "multicast"],
    ["255.255.255.255", "broadcast"],
    ["240.0.0.1", "reserved"],
    ["192.0.0.8", "reserved"],
    ["192.0.2.1", "reserved"],
    ["198.51.100.7", "reserved"],
    ["203.0.113.9", "reserved"],
    ["192.88.99.1", "reserved"],
    ["2001:db8::1", "reserved"],
    ["3fff::1", "reserved"],
    // Benchmarking (RFC 2544): ipaddr.js files the IPv4 block under "reserved".
    ["198.18.0.1", "reserved"],
    ["198.19.255.255", "reserved"],
    ["2001:2::1", "benchmarking"],
    ["192.52.193.1", "amt"],
    ["2001:3::1", "amt"],
    ["192.175.48.1", "as112"],
    ["2620:4f:8000::1", "as112v6"],
    ["100::1", "discard"],
    ["2001:20::1", "orchid2"],
    ["2001:10::1", "deprecatedOrchid"],
    ["2001:30::1", "droneRemoteIdProtocolEntityTags"],
    ["5f00::1", "segmentRouting"],
    // Tunnels and translators that lead to an IPv4 host the worker cannot judge.
    ["2002:7f00:1::", "6to4"],
    ["2002:a9fe:a9fe::1", "6to4"],
    ["2001:0:4136:e378:8000:63bf:3fff:fdd2", "teredo"],
    ["64:ff9b::7f00:1", "rfc6052"],
    ["64:ff9b::808:808", "rfc6052"],
    ["64:ff9b:1::a00:1", "rfc6052"],
    ["::ffff:0:7f00:1", "rfc6145"],
  ])("refuses %s as %s", (address, range) => {
    expect(refusedAs(address)).toBe(range);
  });

  it.each([
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["::FFFF:7F00:0001", "loopback"],
    ["[::ffff:127.0.0.1]", "loopback"],
    ["::ffff:a9fe:a9fe", "linkLocal"],
    ["::ffff:10.1.2.3", "private"],
    ["::ffff:c0a8:101", "private"],
    ["::ffff:6440:1", "carrierGradeNat"],
    ["::ffff:0.0.0.0", "unspecified"],
  ])("judges IPv4-mapped %s by its IPv4 address (%s)", (address, range) => {
    expect(refusedAs(address)).toBe(range);
  });

  it.each([
    "::7f00:1", // IPv4-compatible (deprecated), not a global address
    "::2",
    "4000::1",
    "e000::1",
  ])("refuses %s, which ipaddr.js calls unicast but lies outside 2000::/3", (address) => {
    expect(describeRefusedAddress(address, [])).toBe(
      `address ${address} is outside 2000::/3, the only IPv6 range deliveries may reach`,
    );
  });

  it.each([
    "93.184.215.14",
    "8.8.8.8",
    "1.1.1.1",
    "172.32.0.1",
    "100.128.0.1",
    "198.20.0.1",
    "2606:4700:4700::1111",
    "2a00:1450:4001:81c::200e",
    "::ffff:8.8.8.8",
  ])("allows the global unicast address %s", (address) => {
    expect(describeRefusedAddress(address, [])).toBeNull();
  });

  it.each(["localhost", "hooks.clinic.example", "127.1", "0x7f.0.0.1", "010.0.0.1", "2130706433"])(
    "refuses %s, which is not an IP literal and must be resolved before it can be judged",
    (text) => {
      expect(describeRefusedAddress(text, [])).toBe(
        `address ${text} is not an IP address, which deliveries may not reach`,
      );
    },
  );

  it("names the address and the rule", () => {
    expect(describeRefusedAddress("[::ffff:127.0.0.1]", [])).toBe(
      "address ::ffff:127.0.0.1 (IPv4 127.0.0.1) is in the loopback range, which deliveries may not reach",
    );
    expect(describeRefusedAddress("2002:7f00:1::", [])).toBe(
      "address 2002:7f00:1:: is in the 6to4 range, which deliveries may not reach",
    );
    expect(describeRefusedAddress("::ffff:169.254.169.254", [])).toBe(
      "address ::ffff:169.254.169.254 (IPv4 169.254.169.254) is in the linkLocal range, which deliveries may not reach",
    );
  });
});

describe("the allow-list (DELIVERY_ALLOW_PRIVATE_NETWORKS, ENDPOINT_ALLOW_PRIVATE_NETWORKS)", () => {
  const loopback = ["127.0.0.0/8", "::1/128"];

  it("exempts exactly the listed ranges", () => {
    expect(refusedAs("127.0.0.1", loopback)).toBe("allowed");
    expect(refusedAs("::1", loopback)).toBe("allowed");
    expect(refusedAs("::ffff:127.0.0.1", loopback)).toBe("allowed");
    expect(refusedAs("10.0.0.1", loopback)).toBe("private");
    expect(refusedAs("169.254.169.254", loopback)).toBe("linkLocal");
    expect(refusedAs("fd00:ec2::254", loopback)).toBe("uniqueLocal");
    expect(refusedAs("2002:7f00:1::", loopback)).toBe("6to4");
  });

  it("allows an allow-listed private address, and its neighbours stay refused", () => {
    const office = ["10.20.0.0/16", "fd12:3456::/32"];
    expect(refusedAs("10.20.4.5", office)).toBe("allowed");
    expect(refusedAs("::ffff:10.20.4.5", office)).toBe("allowed");
    expect(refusedAs("fd12:3456::9", office)).toBe("allowed");
    expect(refusedAs("10.21.0.1", office)).toBe("private");
    expect(refusedAs("fd12:3457::9", office)).toBe("uniqueLocal");
  });

  it("takes a bare address as a single host", () => {
    expect(refusedAs("10.1.2.3", ["10.1.2.3"])).toBe("allowed");
    expect(refusedAs("10.1.2.4", ["10.1.2.3"])).toBe("private");
  });

  it("rejects an entry that is not a CIDR, naming it", () => {
    for (const entry of [
      "localhost",
      "10.0.0.0/33",
      "10.0.0.0/",
      "::1/129",
      "1.2.3.4/8/1",
      "10.1/8",
    ]) {
      expect(() => parseAllowList([entry])).toThrow(`'${entry}' is not a CIDR range`);
    }
  });
});
