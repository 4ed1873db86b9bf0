// Starts the private NATS JetStream server that `pnpm dev` uses, with its data in the
// git-ignored .dev-data/ folder at the repository root. It deliberately does not use
// port 4222, so a NATS server already running on this machine is left alone.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const bin = process.env.NATS_SERVER_BIN ?? "nats-server";
const port = process.env.DEV_NATS_PORT ?? "14222";
const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const storeDir = join(root, ".dev-data", "nats");

if (spawnSync(bin, ["--version"]).error) {
  console.error(
    [
      `claimwire needs nats-server (with JetStream) on PATH, and '${bin}' was not found.`,
      "Install it, then run the command again:",
      "  Debian/Ubuntu:  sudo apt-get install nats-server",
      "  macOS:          brew install nats-server",
      "  anywhere:       go install github.com/nats-io/nats-server/v2@latest",
      "Or point NATS_SERVER_BIN at the binary.",
    ].join("\n"),
  );
  process.exit(1);
}

mkdirSync(storeDir, { recursive: true });
const child = spawn(bin, ["-js", "-a", "127.0.0.1", "-p", port, "-sd", storeDir], {
  stdio: ["ignore", "inherit", "inherit"],
});
console.log(
  [
    "",
    `  NATS JetStream      nats://127.0.0.1:${port}  (data in .dev-data/nats)`,
    "  Clinic app          http://127.0.0.1:3000",
    "  Insurer console     http://127.0.0.1:4000/console/  (staff key cw_staff_dev_key_change_me)",
    "  Insurer API (tRPC)  http://127.0.0.1:4000/trpc",
    "  API reference       http://127.0.0.1:4000/docs",
    "",
  ].join("\n"),
);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill("SIGTERM"));
child.on("exit", (code) => process.exit(code ?? 0));
