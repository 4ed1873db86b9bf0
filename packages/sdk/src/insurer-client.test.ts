import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { createInsurerClient } from "./insurer-client.ts";

// A stand-in HTTP server answering as tRPC's batch protocol does; it records what the
// client sent. The real insurer is exercised by the cross-process tests.
async function withServer(
  run: (baseUrl: string, seen: { url?: string; headers?: IncomingHttpHeaders }[]) => Promise<void>,
) {
  const seen: { url?: string; headers?: IncomingHttpHeaders }[] = [];
  const server = createServer((req, res) => {
    seen.push({ url: req.url, headers: req.headers });
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify([{ result: { data: { role: "clinic", clinicId: "cln_1" } } }]));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const { port } = server.address() as AddressInfo;
    await run(`http://127.0.0.1:${port}`, seen);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

describe("createInsurerClient", () => {
  it("calls <baseUrl>/trpc with the API key as a bearer token", async () => {
    await withServer(async (baseUrl, seen) => {
      const client = createInsurerClient({ baseUrl: `${baseUrl}/`, apiKey: "cw_clinic_key" });
      expect(await client.me.query()).toEqual({ role: "clinic", clinicId: "cln_1" });
      expect(seen[0]?.url).toMatch(/^\/trpc\/me\?batch=1/);
      expect(seen[0]?.headers?.authorization).toBe("Bearer cw_clinic_key");
    });
  });

  it("uses the fetch it is given", async () => {
    await withServer(async (baseUrl) => {
      const calls: string[] = [];
      const client = createInsurerClient({
        baseUrl,
        apiKey: "k",
        fetch: (input, init) => {
          calls.push(String(input));
          return fetch(input, init);
        },
      });
      await client.me.query();
      expect(calls).toHaveLength(1);
    });
  });
});
