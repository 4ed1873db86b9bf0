import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { spawnProcess } from "@claimwire/testing";
import { serviceArgs } from "./built-entry.ts";

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

/**
 * One of our apps running as a separate OS process (`node dist/main.js` in its own folder,
 * see built-entry.ts), as it runs in production. Its JSON log lines are kept so a failing
 * test can show them.
 */
export type ServiceProcess = {
  name: string;
  pid: number;
  logs: string[];
  /** Resolves with the first log line whose `msg` matches, e.g. "ready". */
  waitForLog(msg: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Sends `signal` (SIGTERM by default), SIGKILL after `graceMs` (5 s), and waits for the exit. */
  kill(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
  /** The exit code once it exited by itself (null while running or when a signal ended it). */
  exitCode(): number | null;
};

export async function startService(
  name: string,
  appDir: string,
  env: Record<string, string>,
): Promise<ServiceProcess> {
  const cwd = join(REPO_ROOT, appDir);
  const child = spawnProcess(name, process.execPath, serviceArgs(cwd), {
    cwd,
    env: { ...process.env, LOG_LEVEL: "info", ...env },
  });
  return {
    name,
    pid: child.pid,
    logs: child.lines,
    waitForLog: (msg, timeoutMs = 30_000) =>
      child.waitForLine(
        `the log line '${msg}'`,
        (line) => {
          const parsed = tryParse(line);
          return parsed?.msg === msg ? parsed : undefined;
        },
        timeoutMs,
      ),
    kill: (signal = "SIGTERM", graceMs) => child.kill(signal, graceMs),
    exitCode: () => child.child.exitCode,
  };
}

function tryParse(line: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}
