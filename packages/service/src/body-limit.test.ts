import { type AddressInfo, connect } from "node:net";
import { createAdaptorServer } from "@hono/node-server";
import { Hono } from "hono";
import { afterEach, describe, expect, it } from "vitest";
import { limitBody } from "./body-limit.ts";

function app() {
  return new Hono().post(
    "/echo",
    limitBody({ maxBytes: 1000, tooLarge: (c) => c.json({ error: "too large" }, 413) }),
    async (c) => c.json({ length: (await c.req.text()).length }),
  );
}

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

describe("limitBody", () => {
  it("passes a body within the limit on, whole", async () => {
    const res = await app().request("/echo", { method: "POST", body: "x".repeat(1000) });
    expect(await res.json()).toEqual({ length: 1000 });
  });

  it("refuses a larger body, with or without a declared length", async () => {
    const declared = await app().request("/echo", { method: "POST", body: "x".repeat(1001) });
    expect(declared.status).toBe(413);
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 5; i++) controller.enqueue(new TextEncoder().encode("y".repeat(400)));
        controller.close();
      },
    });
    const chunked = await app().request("/echo", { method: "POST", body: stream, duplex: "half" });
    expect(chunked.status).toBe(413);
  });

  it("reads a refused body to its end, so the connection serves the next request", async () => {
    const server = createAdaptorServer({ fetch: app().fetch });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    close = () => new Promise((resolve) => server.close(() => resolve()));
    const socket = connect((server.address() as AddressInfo).port, "127.0.0.1");
    let received = "";
    socket.on("data", (chunk: Buffer) => {
      received += chunk.toString("latin1");
    });
    const closed = new Promise<void>((resolve) => socket.on("close", () => resolve()));
    const statuses = () => [...received.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => m[1]);

    const huge = "z".repeat(5_000_000);
    await new Promise<void>((resolve) =>
      socket.write(
        `POST /echo HTTP/1.1\r\nhost: test\r\ncontent-length: ${huge.length}\r\n\r\n${huge}`,
        () => resolve(),
      ),
    );
    socket.write("POST /echo HTTP/1.1\r\nhost: test\r\ncontent-length: 2\r\n\r\nok");
    await Promise.race([
      closed,
      new Promise<void>((resolve) => {
        const check = () => (statuses().length >= 2 ? resolve() : setTimeout(check, 10));
        check();
      }),
    ]);
    socket.destroy();
    expect(statuses()).toEqual(["413", "200"]);
    expect(received).toContain('{"length":2}');
  });
});
