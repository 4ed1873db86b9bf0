import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, type SpawnedProcess, spawnProcess } from "@claimwire/testing";

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

export async function startNatsServer(): Promise<TestNatsServer> {
  const port = await freePort();
  const storeDir = await mkdtemp(join(tmpdir(), "claimwire-nats-"));
  let server: SpawnedProcess | undefined;

  const start = async () => {
    server = spawnProcess("nats-server", NATS_SERVER_BIN, [
      "-js",
      "-a",
      "127.0.0.1",
      "-p",
      String(port),
      "-sd",
      storeDir,
    ]);
    try {
      await server.waitForLine(
        `'Server is ready' on port ${port}`,
        (line) => line.includes("Server is ready"),
        10_000,
      );
    } catch (err) {
      await server.kill("SIGKILL");
      if (server.child.pid !== undefined) throw err;
      throw new Error(`${(err as Error).message}. Install it: apt-get install nats-server`, {
        cause: err,
      });
    }
  };
  const kill = async () => server?.kill("SIGKILL");

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
