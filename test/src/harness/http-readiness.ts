import { setTimeout as sleep } from "node:timers/promises";
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
  init: { method?: "GET" | "POST"; body?: string } = {},
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const answered = await request(url, init)
      .then(async (res) => {
        await res.body.dump();
        return res.statusCode;
      })
      .catch(() => undefined);
    if (answered === status) return;
    await sleep(50);
  }
  throw new Error(`${what} did not answer ${status} at ${url} within ${timeoutMs} ms`);
}
