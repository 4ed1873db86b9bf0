import { describe, expect, it } from "vitest";
import { createHealthRoutes } from "./readiness.ts";

describe("health routes", () => {
  it("answer /healthz and a ready /readyz with 200", async () => {
    const app = createHealthRoutes({ nats: () => undefined, database: async () => undefined });
    expect((await app.request("/healthz")).status).toBe(200);
    const ready = await app.request("/readyz");
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true });
  });

  it("answer /readyz with 503 naming each check that fails, without its error's text", async () => {
    const app = createHealthRoutes({
      nats: () => "disconnected",
      database: () => {
        throw new Error("cannot open /secret/path.sqlite");
      },
      consumer: () => undefined,
    });
    const res = await app.request("/readyz");
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      ready: false,
      notReady: { nats: "disconnected", database: "check failed" },
    });
  });
});
