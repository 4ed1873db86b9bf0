import { type ChildProcess, spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

/**
 * One of our apps running as a separate OS process (`node --import tsx src/main.ts` in
 * its own folder), as it runs in production. Its JSON log lines are kept so a failing
 * test can show them.
 */
export type ServiceProcess = {
  name: string;
  pid: number;
  logs: string[];
  /** Resolves with the first log line whose `msg` matches, e.g. "ready". */
  waitForLog(msg: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  kill(signal?: NodeJS.Signals): Promise<void>;
};

export async function startService(
  name: string,
  appDir: string,
  env: Record<string, string>,
): Promise<ServiceProcess> {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: join(REPO_ROOT, appDir),
    env: { ...process.env, LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs: string[] = [];
  const waiters: { msg: string; resolve: (line: Record<string, unknown>) => void }[] = [];
  const onLine = (line: string) => {
    logs.push(line);
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(line);
    } catch {
      return;
    }
    for (const waiter of [...waiters]) {
      if (parsed.msg === waiter.msg) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(parsed);
      }
    }
  };
  for (const stream of [child.stdout, child.stderr]) {
    let buffer = "";
    stream?.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      let newline = buffer.indexOf("\n");
      while (newline >= 0) {
        onLine(buffer.slice(0, newline));
        buffer = buffer.slice(newline + 1);
        newline = buffer.indexOf("\n");
      }
    });
  }

  const service: ServiceProcess = {
    name,
    pid: child.pid ?? -1,
    logs,
    waitForLog: (msg, timeoutMs = 30_000) =>
      new Promise((resolve, reject) => {
        const existing = logs.map(tryParse).find((line) => line?.msg === msg);
        if (existing) return resolve(existing);
        const timer = setTimeout(() => {
          reject(new Error(`${name} did not log '${msg}' within ${timeoutMs} ms:\n${tail(logs)}`));
        }, timeoutMs);
        const onExit = (code: number | null) => {
          clearTimeout(timer);
          reject(
            new Error(`${name} exited (code ${code}) before logging '${msg}':\n${tail(logs)}`),
          );
        };
        child.once("exit", onExit);
        waiters.push({
          msg,
          resolve: (line) => {
            clearTimeout(timer);
            child.off("exit", onExit);
            resolve(line);
          },
        });
      }),
    kill: async (signal = "SIGTERM") => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill(signal);
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
  return service;
}

function tryParse(line: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

function tail(logs: string[]): string {
  return logs.slice(-30).join("\n");
}
