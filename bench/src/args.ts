/** Command-line flags of `pnpm bench [-- --quick] [--backlog=N] [--only=a,b]`. */
export type BenchArgs = {
  quick: boolean;
  /** Deliveries in the memory phase's backlog (the documented figures use `--backlog=100000`). */
  backlog: number;
  /**
   * DELIVERY_CONCURRENCY of the workers phase's workers (their default, 256, when absent):
   * a small value makes each worker bound by waiting on the slow receivers, as with many
   * slow clinics, rather than by the machine's cores.
   */
  workerConcurrency: number | null;
  /** Run only these scenarios (development aid); every one by default. */
  only: Set<string> | null;
  /** Where results go, relative to the repository root. */
  outDir: string;
};

export function parseArgs(argv: readonly string[]): BenchArgs {
  const flag = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
  const quick = argv.includes("--quick");
  // 100k takes ~10 minutes to build and drain on the 2-core machine: opt in with the flag.
  const backlog = Number(flag("backlog") ?? (quick ? 2_000 : 20_000));
  if (!Number.isInteger(backlog) || backlog < 1)
    throw new Error(`--backlog must be a positive integer`);
  const only = flag("only");
  const concurrency = flag("worker-concurrency");
  const workerConcurrency = concurrency === undefined ? null : Number(concurrency);
  if (workerConcurrency !== null && !(Number.isInteger(workerConcurrency) && workerConcurrency > 0))
    throw new Error(`--worker-concurrency must be a positive integer`);
  return {
    quick,
    backlog,
    workerConcurrency,
    only: only ? new Set(only.split(",")) : null,
    outDir: flag("out") ?? "docs/benchmarks",
  };
}
