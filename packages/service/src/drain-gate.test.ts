import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { createDrainGate } from "./drain-gate.ts";

function gatedApp() {
  const gate = createDrainGate({
    exempt: ["/readyz"],
    refuse: (c) =>
      c.req.path === "/refused" ? c.json({ error: "shutting down" }, 503) : undefined,
  });
  let release: () => void = () => {};
  const app = new Hono()
    .use(gate.middleware)
    .get("/readyz", (c) => c.text(gate.draining() ? "draining" : "ready"))
    .get("/refused", (c) => c.text("ok"))
    .get("/served", (c) => c.text("ok"))
    .get("/slow", async (c) => {
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      return c.text("finished");
    });
  return { gate, app, release: () => release() };
}

describe("createDrainGate", () => {
  it("serves everything until the drain, and a drain with nothing running ends at once", async () => {
    const { gate, app } = gatedApp();
    expect((await app.request("/refused")).status).toBe(200);
    await gate.drain();
    expect(gate.draining()).toBe(true);
  });

  it("while draining refuses what `refuse` answers (connection: close), serves the rest and the exempt paths", async () => {
    const { gate, app } = gatedApp();
    void gate.drain();
    const refused = await app.request("/refused");
    expect(refused.status).toBe(503);
    expect(refused.headers.get("connection")).toBe("close");
    expect((await app.request("/served")).status).toBe(200);
    expect(await (await app.request("/readyz")).text()).toBe("draining");
  });

  it("resolves the drain (each call to it) only once the running requests have ended", async () => {
    const { gate, app, release } = gatedApp();
    const slow = app.request("/slow");
    await new Promise((resolve) => setTimeout(resolve, 10));
    let drained = 0;
    void gate.drain().then(() => drained++);
    void gate.drain().then(() => drained++);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(drained).toBe(0);
    release();
    expect(await (await slow).text()).toBe("finished");
    await gate.drain();
    expect(drained).toBe(2);
  });
});
