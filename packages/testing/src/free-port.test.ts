import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { freePort } from "./free-port.ts";

describe("freePort", () => {
  it("gives distinct loopback ports that a server can listen on", async () => {
    const [a, b] = [await freePort(), await freePort()];
    expect(a).not.toBe(b);
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(a, "127.0.0.1", resolve);
    });
    await new Promise((resolve) => server.close(resolve));
  });
});
