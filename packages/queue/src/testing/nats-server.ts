import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * A private `nats-server -js` for one test run: a free port, a temporary store
 * directory, stopped and removed afterwards. Tests never touch a server on 4222.
 */
export type TestNatsServer = {
  url: string;
  port: number;
  storeDir: string;
  /** SIGKILL the server (its store survives), for crash tests. */
  kill(): Promise<void>;
  /** Start it again on the same port and store. */
  restart(): Promise<void>;
  stop(): Promise<void>;
};

export const NATS_SERVER_BIN = process.env.NATS_SERVER_BIN ?? "nats-server";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function startNatsServer(): Promise<TestNatsServer> {
  const port = await freePort();
  const storeDir = await mkdtemp(join(tmpdir(), "claimwire-nats-"));
  let child: ChildProcess | undefined;

  const start = async () => {
    child = spawn(
      NATS_SERVER_BIN,
      ["-js", "-a", "127.0.0.1", "-p", String(port), "-sd", storeDir],
      {
        stdio: ["ignore", "ignore", "pipe"],
      },
    );
    // A test runner that dies or times out must not leave servers behind.
    const orphanGuard = () => child?.kill("SIGKILL");
    process.once("exit", orphanGuard);
    child.once("exit", () => process.off("exit", orphanGuard));
    await waitForReady(child, port);
  };
  const kill = async () => {
    const c = child;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise((resolve) => c.once("exit", resolve));
    c.kill("SIGKILL");
    await exited;
  };

  await start();
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    storeDir,
    kill,
    restart: start,
    stop: async () => {
      await kill();
      await rm(storeDir, { recursive: true, force: true });
    },
  };
}

async function waitForReady(child: ChildProcess, port: number): Promise<void> {
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    const timeout = setTimeout(() => {
      reject(new Error(`nats-server did not start on port ${port} within 10 s:\n${stderr}`));
    }, 10_000);
    child.once("error", (err) => {
      clearTimeout(timeout);
      reject(
        new Error(
          `could not run '${NATS_SERVER_BIN}' (${err.message}). Install it: apt-get install nats-server`,
        ),
      );
    });
    const onExit = (code: number | null) => {
      clearTimeout(timeout);
      clearInterval(poll);
      reject(new Error(`nats-server exited with code ${code}:\n${stderr}`));
    };
    child.once("exit", onExit);
    const poll = setInterval(() => {
      if (/Server is ready/.test(stderr)) {
        clearInterval(poll);
        clearTimeout(timeout);
        // Only our own listener: start()'s orphan guard must still be removed at exit,
        // or every restart would leave one behind on the test process.
        child.off("exit", onExit);
        resolve();
      }
    }, 20);
  });
}

export { type ConsumerState, readConsumerStates } from "./consumer-states.ts";
