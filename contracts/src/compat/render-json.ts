/**
 * JSON text laid out exactly as Biome formats JSON in this repo (2 spaces, 100 columns),
 * so that generated files pass `biome check` and `biome check --write` never rewrites
 * them (which would make them differ from a fresh generation). Objects are always
 * expanded; an array of primitives goes on one line when that line, trailing comma
 * included, fits in 100 columns, else one item per line.
 */
const LINE_WIDTH = 100;
const INDENT = "  ";

export function renderJson(value: unknown): string {
  return `${render(value, "", 0, false)}\n`;
}

function isFlat(value: unknown): boolean {
  if (value === null || typeof value !== "object") return true;
  return Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0;
}

function render(value: unknown, indent: string, used: number, comma: boolean): string {
  if (value === null || typeof value !== "object") {
    if (value === undefined) throw new Error("undefined has no JSON form");
    return JSON.stringify(value);
  }
  const inner = indent + INDENT;
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    if (value.every(isFlat)) {
      const oneLine = `[${value.map((v) => render(v, inner, 0, false)).join(", ")}]`;
      if (used + oneLine.length + (comma ? 1 : 0) <= LINE_WIDTH) return oneLine;
    }
    const items = value.map(
      (v, i) => `${inner}${render(v, inner, inner.length, i < value.length - 1)}`,
    );
    return `[\n${items.join(",\n")}\n${indent}]`;
  }
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return "{}";
  const lines = entries.map(([key, v], i) => {
    const prefix = `${inner}${JSON.stringify(key)}: `;
    return `${prefix}${render(v, inner, prefix.length, i < entries.length - 1)}`;
  });
  return `{\n${lines.join(",\n")}\n${indent}}`;
}
