// Starts the private NATS JetStream that `npm start` uses: one node by default, or a
// three-node cluster with DEV_NATS_NODES=3 (`npm run start:cluster`). Data lives in the
// git-ignored .dev-data/ folder at the repository root, one store folder per node. Ports
// start at 14222 (clients) and 16222 (routes), so a NATS server already running on this
// machine (4222) is left alone.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const bin = process.env.NATS_SERVER_BIN ?? "nats-server";
const firstPort = Number(process.env.DEV_NATS_PORT ?? "14222");
const firstRoutePort = Number(process.env.DEV_NATS_ROUTE_PORT ?? "16222");
const nodes = Number(process.env.DEV_NATS_NODES ?? "1");
const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

if (![1, 3, 5].includes(nodes)) {
  console.error(
    `DEV_NATS_NODES must be 1, 3 or 5 (a JetStream cluster needs an odd size); got "${process.env.DEV_NATS_NODES}"`,
  );
  process.exit(1);
}

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

/** The arguments of node `i` (0-based): its own client port, route port and store. */
function nodeArgs(i) {
  const port = String(firstPort + i);
  if (nodes === 1) {
    const storeDir = join(root, ".dev-data", "nats");
    mkdirSync(storeDir, { recursive: true });
    return {
      storeDir: ".dev-data/nats",
      args: ["-js", "-a", "127.0.0.1", "-p", port, "-sd", storeDir],
    };
  }
  const name = `n${i + 1}`;
  const storeDir = join(root, ".dev-data", "nats-cluster", name);
  mkdirSync(storeDir, { recursive: true });
  const routes = Array.from(
    { length: nodes },
    (_, j) => `nats://127.0.0.1:${firstRoutePort + j}`,
  ).join(",");
  return {
    storeDir: `.dev-data/nats-cluster/${name}`,
    args: [
      "-js",
      "-n",
      name,
      "-a",
      "127.0.0.1",
      "-p",
      port,
      "-sd",
      storeDir,
      "--cluster_name",
      "claimwire-dev",
      "--cluster",
      `nats://127.0.0.1:${firstRoutePort + i}`,
      "--routes",
      routes,
    ],
  };
}

const children = Array.from({ length: nodes }, (_, i) => {
  const { args } = nodeArgs(i);
  return spawn(bin, args, { stdio: ["ignore", "inherit", "inherit"] });
});
const urls = children.map((_, i) => `nats://127.0.0.1:${firstPort + i}`);
console.log(
  [
    "",
    nodes === 1
      ? `  NATS JetStream      ${urls[0]}  (data in .dev-data/nats)`
      : `  NATS JetStream      ${nodes}-node cluster ${urls.join(",")}  (data in .dev-data/nats-cluster/n1…n${nodes})`,
    "  Clinic app          http://127.0.0.1:3000",
    "  Insurer console     http://127.0.0.1:4000/console/  (staff key cw_staff_dev_key_change_me)",
    "  Insurer API (tRPC)  http://127.0.0.1:4000/trpc",
    "  API reference       http://127.0.0.1:4000/docs",
    "",
  ].join("\n"),
);
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    for (const child of children) child.kill("SIGTERM");
  });
}
// One node gone means the system is not what was asked for: stop the rest too.
for (const child of children) {
  child.on("exit", (code) => {
    for (const other of children) if (other !== child) other.kill("SIGTERM");
    process.exit(code ?? 0);
  });
}
