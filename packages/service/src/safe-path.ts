/**
 * A request path below a static folder, %-decoded; null when it could leave the folder or
 * is malformed: a '..' segment (also encoded, %2e%2e or ..%2f), a backslash, a NUL byte,
 * a leading '/' after decoding, or a bad %-escape.
 *
 * @example
 * ```ts
 * decodeSafePath("assets/app-1a2b.js"); // "assets/app-1a2b.js"
 * decodeSafePath("assets/..%2f..%2fpackage.json"); // null
 * ```
 */
export function decodeSafePath(raw: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return null;
  }
  if (decoded.includes("\0") || decoded.includes("\\") || decoded.startsWith("/")) return null;
  if (decoded.split("/").some((segment) => segment === "..")) return null;
  return decoded;
}

/** Whether a raw request target's path has a '..' segment, literal or %-encoded. */
export function hasDotDotSegment(target: string): boolean {
  const path = target.split("?", 1)[0] ?? "";
  return path.split("/").some((segment) => /^(\.|%2e){2}$/i.test(segment));
}
