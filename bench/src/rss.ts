import { readdirSync, readFileSync } from "node:fs";
import { spawnProcess } from "@claimwire/testing";

/** Resident set size of a process in MB (VmRSS from /proc), or NaN once it is gone. */
export function rssMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = Number(status.match(/^VmRSS:\s+(\d+)\s+kB/m)?.[1]);
    return kb / 1024;
  } catch {
    return Number.NaN;
  }
}

/** The pid of the nats-server listening on `port` (the harness does not expose it). */
export function natsServerPid(port: number): number {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
      if (args[0]?.endsWith("nats-server") && args.includes(String(port))) return Number(entry);
    } catch {
      // A process that exited while we looked.
    }
  }
  return -1;
}

/** Samples the RSS of named processes until stopped; keeps each one's peak. */
export function sampleRss(initial: Record<string, number>, intervalMs = 250) {
  const pids = { ...initial };
  const peak: Record<string, number> = {};
  const take = () => {
    for (const [name, pid] of Object.entries(pids)) {
      const mb = rssMb(pid);
      if (Number.isFinite(mb)) peak[name] = Math.max(peak[name] ?? 0, mb);
    }
  };
  take();
  const timer = setInterval(take, intervalMs);
  return {
    /** Samples another process under `name` (replacing one that stopped). */
    add(name: string, pid: number): void {
      pids[name] = pid;
    },
    stop(): Record<string, number> {
      clearInterval(timer);
      take();
      return peak;
    },
  };
}

/**
 * The yardstick for memory: a bare `http.createServer` Node process answering 204, with
 * nothing else loaded. Started and measured in the same run as our processes.
 */
export async function startBareNodeServer(): Promise<{
  pid: number;
  url: string;
  stop(): Promise<void>;
}> {
  const code =
    "const s=require('node:http').createServer((q,r)=>{q.resume();q.on('end',()=>{r.writeHead(204);r.end()})});" +
    "s.listen(0,'127.0.0.1',()=>console.log(s.address().port))";
  const child = spawnProcess("bare node server", process.execPath, ["-e", code]);
  const port = await child.waitForLine("its port", (line) => Number(line.trim()) || undefined);
  return {
    pid: child.pid,
    url: `http://127.0.0.1:${port}`,
    stop: () => child.kill("SIGTERM"),
  };
}
