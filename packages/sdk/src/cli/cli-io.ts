/** Where the CLI writes, and what stops it. */
export type CliIo = {
  out: (line: string) => void;
  err: (line: string) => void;
  signal: AbortSignal;
};
