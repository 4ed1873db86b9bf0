import { waitFor } from "@claimwire/testing";
import { type RunningSystem, type StartSystemOptions, startSystem } from "./system.ts";

/**
 * The system with a test proxy in front of its clinic: the clinic registers the proxy's
 * URL as its webhook endpoint, so every delivery passes through the proxy. Resolves once
 * that endpoint is registered.
 */
export async function startSystemBehindProxy(
  proxy: { url: string; setTarget(url: string): void },
  opts: StartSystemOptions = {},
): Promise<RunningSystem> {
  const sys = await startSystem({
    ...opts,
    clinicEnv: { ...opts.clinicEnv, CLINIC_PUBLIC_URL: proxy.url },
  });
  try {
    proxy.setTarget(sys.clinicUrl);
    await waitFor("the clinic's endpoint to be registered through the proxy", async () => {
      const endpoints = await sys.clinicClient.endpoints.list.query();
      return endpoints.some((e) => e.url.startsWith(proxy.url));
    });
    return sys;
  } catch (err) {
    await sys.stop();
    throw err;
  }
}
