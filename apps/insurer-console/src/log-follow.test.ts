import type { Delivery } from "@claimwire/contracts";
import { describe, expect, it } from "vitest";
import { FOLLOW_MS, logRefetchInterval, REFRESH_MS } from "./log-follow.ts";

const now = Date.parse("2026-11-30T09:00:00Z");

function delivery(change: Partial<Delivery>): Delivery {
  return {
    id: "dlv_01JDQ7",
    eventId: "evt_01JDQ7",
    endpointId: "ep_01JDQ7",
    eventType: "claim.approved",
    status: "delivered",
    attemptCount: 1,
    lastStatusCode: 200,
    lastErrorClass: null,
    lastError: null,
    nextAttemptAt: null,
    deliveredAt: "2026-11-30T08:59:00Z",
    createdAt: "2026-11-30T08:58:00Z",
    ...change,
  } as Delivery;
}

const inSeconds = (seconds: number) => new Date(now + seconds * 1000).toISOString();

describe("logRefetchInterval", () => {
  it("follows the log every second while a delivery is being sent", () => {
    expect(logRefetchInterval([delivery({}), delivery({ status: "sending" })], now)).toBe(
      FOLLOW_MS,
    );
  });

  it("follows a retry due within seconds, not one due later", () => {
    const retrying = (seconds: number) =>
      delivery({ status: "retrying", nextAttemptAt: inSeconds(seconds) });
    expect(logRefetchInterval([retrying(3)], now)).toBe(FOLLOW_MS);
    expect(logRefetchInterval([retrying(-2)], now)).toBe(FOLLOW_MS);
    expect(logRefetchInterval([retrying(60)], now)).toBe(REFRESH_MS);
  });

  it("refreshes every 10 s when everything has landed, or the log is empty", () => {
    expect(logRefetchInterval([delivery({}), delivery({ status: "failed" })], now)).toBe(
      REFRESH_MS,
    );
    expect(logRefetchInterval([], now)).toBe(REFRESH_MS);
  });
});
