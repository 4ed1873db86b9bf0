// Preloaded with `NODE_OPTIONS=--import <this file>` when BENCH_CPU_PROF is set (Node 20
// refuses --cpu-prof in NODE_OPTIONS): profiles the whole process and writes a
// .cpuprofile into BENCH_CPU_PROF on SIGUSR2, which the benchmark sends before stopping.
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector";
import { join } from "node:path";

const dir = process.env.BENCH_CPU_PROF;
if (dir) {
  const session = new Session();
  session.connect();
  session.post("Profiler.enable", () => session.post("Profiler.start"));
  process.on("SIGUSR2", () => {
    session.post("Profiler.stop", (err, result) => {
      if (err) return;
      const name = `${process.argv[1]?.includes("delivery-worker") ? "worker" : process.cwd().split("/").pop()}-${process.pid}.cpuprofile`;
      writeFileSync(join(dir, name), JSON.stringify(result.profile));
    });
  });
}
