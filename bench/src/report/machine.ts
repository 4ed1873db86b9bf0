import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { NATS_SERVER_BIN } from "@claimwire/queue/testing";

export type Machine = {
  cpus: number;
  cpuModel: string;
  ramGb: number;
  node: string;
  natsServer: string;
  kernel: string;
  /** 1-minute load average when the run started: other work on the machine. */
  loadAverageAtStart: number;
};

/** What the figures ran on (`nproc`, /proc/cpuinfo, RAM, node and nats-server versions). */
export function describeMachine(): Machine {
  const cpuinfo = readFileSync("/proc/cpuinfo", "utf8");
  const model = cpuinfo.match(/^model name\s*:\s*(.+)$/m)?.[1] ?? cpus()[0]?.model ?? "unknown";
  const nats = (() => {
    try {
      return execFileSync(NATS_SERVER_BIN, ["--version"], { encoding: "utf8" }).trim();
    } catch {
      return "unknown";
    }
  })();
  return {
    cpus: cpus().length,
    cpuModel: model.trim(),
    ramGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    natsServer: nats,
    kernel: readFileSync("/proc/sys/kernel/osrelease", "utf8").trim(),
    loadAverageAtStart: Number(readFileSync("/proc/loadavg", "utf8").split(" ")[0]),
  };
}
