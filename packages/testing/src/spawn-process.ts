import { type ChildProcess, spawn } from "node:child_process";

/**
 * A child process that a test or benchmark started: its output kept line by line (stdout
 * and stderr together) so readiness can be read from it and a failure can show it.
 */
export type SpawnedProcess = {
  name: string;
  pid: number;
  child: ChildProcess;
  /** Every line written so far, in order. */
  lines: string[];
  /**
   * Resolves with the first truthy `match(line)`, lines already written included. Rejects
   * when the process exits (or cannot start) first, or after `timeoutMs`, naming `what`
   * and showing the last lines.
   */
  waitForLine<T>(
    what: string,
    match: (line: string) => T | undefined | null | false,
    timeoutMs?: number,
  ): Promise<T>;
  /** Whether the process is still running. */
  running(): boolean;
  /** Sends `signal` (SIGTERM by default), SIGKILL after `graceMs`, and waits for the exit. */
  kill(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
};

export type SpawnOptions = {
  cwd?: string;
  /** The whole environment of the child (callers spread `process.env` when they want it). */
  env?: NodeJS.ProcessEnv;
};

/**
 * Starts `command` with its output piped and a guard that SIGKILLs it when this process
 * exits, so a test runner that dies or times out leaves no servers behind. Readiness is
 * the caller's to state with `waitForLine` (a log line) or `waitFor` (e.g. an HTTP probe).
 *
 * @example
 * const nats = spawnProcess("nats-server", "nats-server", ["-js", "-p", String(port)]);
 * await nats.waitForLine("'Server is ready'", (line) => line.includes("Server is ready"));
 */
export function spawnProcess(
  name: string,
  command: string,
  args: readonly string[],
  { cwd, env }: SpawnOptions = {},
): SpawnedProcess {
  const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  const lines: string[] = [];
  const listeners = new Set<(line: string) => void>();
  let startError: Error | undefined;
  child.once("error", (err) => {
    startError = err;
  });

  for (const stream of [child.stdout, child.stderr]) {
    let buffer = "";
    stream?.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      let newline = buffer.indexOf("\n");
      while (newline >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        lines.push(line);
        for (const listener of [...listeners]) listener(line);
        newline = buffer.indexOf("\n");
      }
    });
  }

  const orphanGuard = () => child.kill("SIGKILL");
  process.once("exit", orphanGuard);
  child.once("exit", () => process.off("exit", orphanGuard));

  const exited = () => child.exitCode !== null || child.signalCode !== null;
  const tail = () => lines.slice(-30).join("\n");

  return {
    name,
    pid: child.pid ?? -1,
    child,
    lines,
    running: () => !exited() && startError === undefined,
    waitForLine: (what, match, timeoutMs = 30_000) =>
      new Promise((resolve, reject) => {
        for (const line of lines) {
          const found = match(line);
          if (found) return resolve(found);
        }
        const finish = (err: Error | undefined, value?: unknown) => {
          clearTimeout(timer);
          listeners.delete(onLine);
          child.off("exit", onExit);
          child.off("error", onError);
          if (err) reject(err);
          else resolve(value as never);
        };
        const onLine = (line: string) => {
          const found = match(line);
          if (found) finish(undefined, found);
        };
        const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
          finish(
            new Error(`${name} exited (${signal ?? `code ${code}`}) before ${what}:\n${tail()}`),
          );
        const onError = (err: Error) =>
          finish(new Error(`could not run ${name} ('${command}'): ${err.message}`));
        const timer = setTimeout(
          () => finish(new Error(`${name}: no ${what} within ${timeoutMs} ms:\n${tail()}`)),
          timeoutMs,
        );
        if (startError) return onError(startError);
        if (exited()) return onExit(child.exitCode, child.signalCode);
        listeners.add(onLine);
        child.once("exit", onExit);
        child.once("error", onError);
      }),
    kill: async (signal = "SIGTERM", graceMs = 5_000) => {
      if (exited() || startError) return;
      const done = new Promise((resolve) => child.once("exit", resolve));
      child.kill(signal);
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await done;
      clearTimeout(timer);
    },
  };
}
