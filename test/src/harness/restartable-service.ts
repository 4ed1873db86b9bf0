import { type ServiceProcess, startService } from "./service-process.ts";

/**
 * One of our apps that a test may kill, freeze and start again, always with the same
 * settings (port, database, environment), as an operator's supervisor would restart it.
 */
export type RestartableService = {
  name: string;
  /** The process started last (it may have been killed since). */
  current(): ServiceProcess;
  /** Every process started so far, for logs and clean-up. */
  started: ServiceProcess[];
  /** Sends `signal` (SIGKILL by default) and waits for the process to exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts a new process with the same settings and waits for its "ready" log line. */
  start(): Promise<ServiceProcess>;
  /** SIGSTOP: the process stays alive, holding its connections, and does nothing. */
  freeze(): void;
  /** SIGCONT after freeze(). */
  thaw(): void;
  /** Whether the process started last is still running. */
  running(): boolean;
};

export async function startRestartableService(
  name: string,
  appDir: string,
  env: Record<string, string>,
  { readyTimeoutMs = 60_000 } = {},
): Promise<RestartableService> {
  const started: ServiceProcess[] = [];
  let current: ServiceProcess | undefined;
  let exited = false;

  const start = async () => {
    const child = await startService(name, appDir, env);
    started.push(child);
    current = child;
    exited = false;
    try {
      await child.waitForLog("ready", readyTimeoutMs);
    } catch (err) {
      // Never leave a process behind that the caller does not know it started.
      await child.kill("SIGKILL");
      exited = true;
      throw err;
    }
    return child;
  };
  const service: RestartableService = {
    name,
    current: () => {
      if (!current) throw new Error(`${name} was never started`);
      return current;
    },
    started,
    kill: async (signal = "SIGKILL") => {
      if (!current || exited) return;
      // A frozen process cannot handle SIGTERM until it runs again.
      if (signal !== "SIGKILL") process.kill(current.pid, "SIGCONT");
      await current.kill(signal);
      exited = true;
    },
    start,
    freeze: () => {
      if (current && !exited) process.kill(current.pid, "SIGSTOP");
    },
    thaw: () => {
      if (current && !exited) process.kill(current.pid, "SIGCONT");
    },
    running: () => current !== undefined && !exited,
  };
  await start();
  return service;
}
