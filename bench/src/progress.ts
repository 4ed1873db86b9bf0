/**
 * A one-line progress bar on stderr, redrawn in place with `\r` (no dependency): the
 * overall share done, the current phase and its own count.
 */
export type Progress = {
  /**
   * Starts a phase: `section: what it does`. A section's weight (relative) is shared by
   * the phases it declared; `total` is what `tick` counts up to.
   */
  phase(name: string, total?: number): void;
  /** Sets the current phase's count done (out of its `total`). */
  tick(done: number, note?: string): void;
  /** Prints a line above the bar (a figure just measured). */
  log(line: string): void;
  done(): void;
};

const WIDTH = 28;

export type Sections = Record<string, { weight: number; phases: number }>;

export function createProgress(sections: Sections): Progress {
  const names = Object.keys(sections);
  const sum = names.reduce((s, n) => s + (sections[n]?.weight ?? 0), 0);
  const phasesStarted = new Map<string, number>();
  let section = "";
  let current = "";
  let total = 1;
  let count = 0;
  let note = "";
  let lastDraw = 0;
  const startedAt = Date.now();
  const tty = process.stderr.isTTY;

  function shareDone(): number {
    let done = 0;
    for (const name of names) {
      if (name === section) break;
      done += sections[name]?.weight ?? 0;
    }
    const own = sections[section];
    if (own) {
      const phases = Math.max(own.phases, phasesStarted.get(section) ?? 1);
      const inPhase = Math.min(1, count / Math.max(1, total));
      done += (own.weight * ((phasesStarted.get(section) ?? 1) - 1 + inPhase)) / phases;
    }
    return Math.min(1, done / sum);
  }

  function draw(force = false): void {
    const now = Date.now();
    if (!force && now - lastDraw < 100) return;
    lastDraw = now;
    const share = shareDone();
    const filled = Math.round(share * WIDTH);
    const bar = `${"#".repeat(filled)}${".".repeat(WIDTH - filled)}`;
    const elapsed = Math.round((now - startedAt) / 1000);
    const detail = total > 1 ? ` ${count}/${total}` : "";
    const line = `[${bar}] ${String(Math.round(share * 100)).padStart(3)}% ${elapsed}s ${current}${detail}${note ? ` ${note}` : ""}`;
    // Without a terminal (CI logs), one line per redraw would flood: print phases only.
    if (tty) process.stderr.write(`\r${line.slice(0, 119).padEnd(119)}`);
  }

  return {
    phase(name, phaseTotal = 1) {
      const key = name.split(":")[0] ?? name;
      if (key !== section) section = key;
      phasesStarted.set(section, (phasesStarted.get(section) ?? 0) + 1);
      current = name;
      total = phaseTotal;
      count = 0;
      note = "";
      if (!tty) process.stderr.write(`bench: ${name}\n`);
      draw(true);
    },
    tick(done, phaseNote) {
      count = done;
      if (phaseNote !== undefined) note = phaseNote;
      draw();
    },
    log(line) {
      if (tty) process.stderr.write(`\r${" ".repeat(119)}\r`);
      process.stderr.write(`${line}\n`);
      draw(true);
    },
    done() {
      current = "";
      count = total;
      if (tty) process.stderr.write(`\r${" ".repeat(119)}\r`);
    },
  };
}
