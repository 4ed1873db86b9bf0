import { describe, expect, it } from "vitest";
import { spawnProcess } from "./spawn-process.ts";

const node = (code: string) => spawnProcess("child", process.execPath, ["-e", code]);

describe("spawnProcess", () => {
  it("waits for a line that says the process is ready and hands back what it read", async () => {
    const child = node(
      "console.log('starting'); setTimeout(() => console.error('listening on 4321'), 50); setInterval(() => {}, 1000)",
    );
    try {
      const port = await child.waitForLine(
        "its port",
        (line) => /listening on (\d+)/.exec(line)?.[1],
      );
      expect(port).toBe("4321");
      // Lines already written count too.
      expect(await child.waitForLine("'starting'", (line) => line === "starting")).toBe(true);
      expect(child.running()).toBe(true);
    } finally {
      await child.kill();
    }
    expect(child.running()).toBe(false);
  });

  it("fails with the output when the process exits before it is ready", async () => {
    const child = node("console.error('bad config: PORT'); process.exit(3)");
    await expect(child.waitForLine("'ready'", (line) => line === "ready")).rejects.toThrow(
      /child exited \(code 3\) before 'ready':\nbad config: PORT/,
    );
  });

  it("says which command could not run", async () => {
    const child = spawnProcess("nats-server", "/nonexistent/nats-server", []);
    await expect(child.waitForLine("'ready'", () => false)).rejects.toThrow(
      /could not run nats-server \('\/nonexistent\/nats-server'\): spawn \/nonexistent\/nats-server ENOENT/,
    );
  });

  it("escalates to SIGKILL when the process ignores SIGTERM", async () => {
    const child = node(
      "process.on('SIGTERM', () => {}); console.log('up'); setInterval(() => {}, 1000)",
    );
    await child.waitForLine("'up'", (line) => line === "up");
    await child.kill("SIGTERM", 100);
    expect(child.child.signalCode).toBe("SIGKILL");
  });
});
