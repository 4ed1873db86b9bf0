import { z } from "zod";

/** SHUTDOWN_TIMEOUT_MS, shared by every process's env schema. */
export const shutdownEnvSchema = {
  /** How long a process may drain after SIGTERM/SIGINT before it exits anyway. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
};

type SignalLog = {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
};

export type ShutdownOptions = {
  /** Stops taking work, finishes what is in flight, closes resources. */
  drain: () => Promise<void>;
  /** The bound on `drain` (SHUTDOWN_TIMEOUT_MS). */
  timeoutMs: number;
  log: SignalLog;
  /** Tests pass their own; `process` by default. */
  signals?: Pick<NodeJS.Process, "on">;
  exit?: (code: number) => void;
};

/**
 * The drain every process does on SIGTERM/SIGINT: the first signal starts `drain` and
 * exits 0 when it finishes; a second signal, a failed drain or `timeoutMs` passing exits
 * 1 at once (work not finished is left to the queue's redelivery or the database).
 *
 * @example
 * exitAfterDrainOnSignal({ drain: () => insurer.drain(), timeoutMs: 10_000, log });
 */
export function exitAfterDrainOnSignal({
  drain,
  timeoutMs,
  log,
  signals = process,
  exit = (code) => process.exit(code),
}: ShutdownOptions): void {
  let draining = false;
  const onSignal = (signal: string) => {
    if (draining) {
      log.error({ signal }, "second signal: exiting without finishing the drain");
      exit(1);
      return;
    }
    draining = true;
    log.info({ signal, timeoutMs }, "draining");
    const bound = setTimeout(() => {
      log.error({ timeoutMs }, "drain took longer than SHUTDOWN_TIMEOUT_MS: exiting");
      exit(1);
    }, timeoutMs);
    drain().then(
      () => {
        clearTimeout(bound);
        log.info({}, "stopped");
        exit(0);
      },
      (err: unknown) => {
        clearTimeout(bound);
        log.error({ err }, "unclean stop");
        exit(1);
      },
    );
  };
  signals.on("SIGTERM", () => onSignal("SIGTERM"));
  signals.on("SIGINT", () => onSignal("SIGINT"));
}
