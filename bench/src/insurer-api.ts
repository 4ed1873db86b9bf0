import { Pool } from "undici";

/**
 * The insurer's tRPC API over an undici Pool, without the SDK's batching link: the
 * benchmark must not be bounded by its own client (Node's global fetch does 1–3k req/s
 * on this machine, undici's Pool 15–24k; see TOOLCHAIN.md).
 */
export type InsurerApi = {
  mutate<T = unknown>(procedure: string, input: unknown, apiKey: string): Promise<T>;
  query<T = unknown>(procedure: string, input: unknown, apiKey: string): Promise<T>;
  close(): Promise<void>;
};

export function createInsurerApi(baseUrl: string, connections = 128): InsurerApi {
  const pool = new Pool(baseUrl, { connections, keepAliveTimeout: 60_000 });

  async function call<T>(
    method: "GET" | "POST",
    procedure: string,
    input: unknown,
    apiKey: string,
  ): Promise<T> {
    const path =
      method === "GET"
        ? `/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`
        : `/trpc/${procedure}`;
    const res = await pool.request({
      path,
      method,
      headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
      ...(method === "POST" ? { body: JSON.stringify(input) } : {}),
      headersTimeout: 60_000,
      bodyTimeout: 60_000,
    });
    const text = await res.body.text();
    if (res.statusCode >= 300) {
      throw new Error(`${procedure} answered ${res.statusCode}: ${text.slice(0, 300)}`);
    }
    return (JSON.parse(text) as { result: { data: T } }).result.data;
  }

  return {
    mutate: (procedure, input, apiKey) => call("POST", procedure, input, apiKey),
    query: (procedure, input, apiKey) => call("GET", procedure, input, apiKey),
    // Long polls may still be held: end them rather than wait up to their timeout.
    close: () => pool.destroy(),
  };
}
