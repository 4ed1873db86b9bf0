import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import type { AppRouter } from "@claimwire/insurer-api";
import type { inferRouterInputs, inferRouterOutputs, TRPC_ERROR_CODE_KEY } from "@trpc/server";
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  type InsurerApiError,
  type InsurerErrorCode,
  isInsurerApiError,
} from "./insurer-api-error.ts";
import { createInsurerClient } from "./insurer-client.ts";
import type { InsurerRouter } from "./insurer-router.ts";

type Answer = { status: number; body: unknown };
const whoAmI: Answer = {
  status: 200,
  body: [{ result: { data: { role: "clinic", clinicId: "cln_1" } } }],
};

// A stand-in HTTP server answering as tRPC's batch protocol does; it records what the
// client sent. The real insurer is exercised by the cross-process tests.
async function withServer(
  run: (baseUrl: string, seen: { url?: string; headers?: IncomingHttpHeaders }[]) => Promise<void>,
  answer: Answer = whoAmI,
) {
  const seen: { url?: string; headers?: IncomingHttpHeaders }[] = [];
  const server = createServer((req, res) => {
    seen.push({ url: req.url, headers: req.headers });
    res.writeHead(answer.status, { "content-type": "application/json" });
    res.end(JSON.stringify(answer.body));
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

  it("adds the headers its `headers` option gives at each request, never over the API key", async () => {
    await withServer(async (baseUrl, seen) => {
      let call = 0;
      const client = createInsurerClient({
        baseUrl,
        apiKey: "cw_clinic_key",
        headers: () => ({
          traceparent: `00-${"a".repeat(32)}-${String(++call).padStart(16, "0")}-01`,
          authorization: "Bearer other",
        }),
      });
      await client.me.query();
      await client.me.query();
      expect(seen.map((r) => r.headers?.traceparent)).toEqual([
        `00-${"a".repeat(32)}-0000000000000001-01`,
        `00-${"a".repeat(32)}-0000000000000002-01`,
      ]);
      expect(seen.map((r) => r.headers?.authorization)).toEqual([
        "Bearer cw_clinic_key",
        "Bearer cw_clinic_key",
      ]);
    });
  });

  it("sends each call as a request of its own with batch: false (for events.wait)", async () => {
    const single: Answer = {
      status: 200,
      body: { result: { data: { role: "clinic", clinicId: "cln_1" } } },
    };
    await withServer(async (baseUrl, seen) => {
      const client = createInsurerClient({ baseUrl, apiKey: "k", batch: false });
      const both = await Promise.all([client.me.query(), client.me.query()]);
      expect(both).toEqual([
        { role: "clinic", clinicId: "cln_1" },
        { role: "clinic", clinicId: "cln_1" },
      ]);
      expect(seen.map((request) => request.url)).toEqual(["/trpc/me", "/trpc/me"]);
    }, single);
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

describe("InsurerApiError", () => {
  it("is what a call the insurer refuses throws, with the insurer's code and message", async () => {
    const notFound: Answer = {
      status: 404,
      body: [
        {
          error: {
            message: "No claim with id 'clm_missing'",
            code: -32004,
            data: { code: "NOT_FOUND", httpStatus: 404, path: "claims.byId" },
          },
        },
      ],
    };
    await withServer(async (baseUrl) => {
      const client = createInsurerClient({ baseUrl, apiKey: "k" });
      const error = await client.claims.byId.query({ claimId: "clm_missing" }).then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(isInsurerApiError(error)).toBe(true);
      const apiError = error as InsurerApiError;
      expect(apiError.message).toBe("No claim with id 'clm_missing'");
      expect(apiError.data).toMatchObject({ code: "NOT_FOUND", httpStatus: 404 });
    }, notFound);
  });

  it("is also what a request that got no answer throws, without data", async () => {
    const client = createInsurerClient({ baseUrl: "http://127.0.0.1:1", apiKey: "k" });
    const error = await client.me.query().catch((thrown: unknown) => thrown);
    expect(isInsurerApiError(error) && error.data).toBeUndefined();
    expect(isInsurerApiError(new Error("not from the insurer"))).toBe(false);
  });
});

describe("InsurerRouter", () => {
  it("has the server router's inputs and outputs (checked by tsc)", () => {
    expectTypeOf<inferRouterInputs<InsurerRouter>>().toEqualTypeOf<inferRouterInputs<AppRouter>>();
    expectTypeOf<inferRouterOutputs<InsurerRouter>>().toEqualTypeOf<
      inferRouterOutputs<AppRouter>
    >();
    expectTypeOf<InsurerErrorCode>().toEqualTypeOf<TRPC_ERROR_CODE_KEY>();
  });
});
