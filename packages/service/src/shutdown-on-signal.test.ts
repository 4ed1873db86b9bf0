import { EventEmitter } from "node:events";
import { describe, expect, it, vi } from "vitest";
import { exitAfterDrainOnSignal } from "./shutdown-on-signal.ts";

const log = { info: () => {}, error: () => {} };

function setUp(drain: () => Promise<void>, timeoutMs = 10_000) {
  const signals = new EventEmitter();
  const exit = vi.fn<(code: number) => void>();
  exitAfterDrainOnSignal({
    drain,
    timeoutMs,
    log,
    signals: signals as unknown as NodeJS.Process,
    exit,
  });
  return { signals, exit };
}

describe("exitAfterDrainOnSignal", () => {
  it("drains once on SIGTERM, then exits 0", async () => {
    const drain = vi.fn(async () => {});
    const { signals, exit } = setUp(drain);
    signals.emit("SIGTERM");
    await vi.waitFor(() => expect(exit).toHaveBeenCalledWith(0));
    expect(drain).toHaveBeenCalledTimes(1);
  });

  it("exits 1 on a second signal while draining", () => {
    const { signals, exit } = setUp(() => new Promise(() => {}));
    signals.emit("SIGTERM");
    expect(exit).not.toHaveBeenCalled();
    signals.emit("SIGINT");
    expect(exit).toHaveBeenCalledWith(1);
  });

  it("exits 1 when the drain outlasts its bound", () => {
    vi.useFakeTimers();
    try {
      const { signals, exit } = setUp(() => new Promise(() => {}), 500);
      signals.emit("SIGINT");
      vi.advanceTimersByTime(499);
      expect(exit).not.toHaveBeenCalled();
      vi.advanceTimersByTime(1);
      expect(exit).toHaveBeenCalledWith(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
