import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/**
 * The folder a web app's build goes to (its `dist/`, which its package exports), resolved
 * from the module at `fromUrl` (pass `import.meta.url`); null when the app's package is
 * not installed. The folder may not be built yet: the servers show a "not built" page
 * until it is and serve each build as it lands. A server gets its UI's built files this
 * way, or by configuration, never by importing the UI's source.
 *
 * @example
 * const consoleDir = builtAppDir("@claimwire/insurer-console", import.meta.url);
 */
export function builtAppDir(packageName: string, fromUrl: string): string | null {
  try {
    return join(dirname(createRequire(fromUrl).resolve(`${packageName}/package.json`)), "dist");
  } catch {
    return null;
  }
}
