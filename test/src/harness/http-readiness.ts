import { waitFor } from "@claimwire/testing";
import { request } from "undici";

/**
 * Readiness asked over HTTP, for processes whose "ready" log line is silenced (it is at
 * info level; the benchmark runs every process at LOG_LEVEL=warn). Polls until a request
 * to `url` answers `status`; refused connections count as not ready yet.
 */
export async function waitForHttpStatus(
  what: string,
  url: string,
  status: number,
  timeoutMs = 60_000,
): Promise<void> {
  await waitFor(
    `${what} to answer ${status} at ${url}`,
    async () => {
      const res = await request(url);
      await res.body.dump();
      if (res.statusCode !== status) throw new Error(`it answered ${res.statusCode}`);
      return true;
    },
    { timeoutMs },
  );
}
