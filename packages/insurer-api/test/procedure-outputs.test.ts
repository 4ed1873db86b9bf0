import { describe, expect, it } from "vitest";
import { z } from "zod";
import { buildOpenApiDocument } from "../src/openapi/openapi-document.ts";
import { authedProcedure, createTRPCRouter } from "../src/routers/trpc.ts";
import { PROCEDURE_PATHS } from "./procedure-paths.ts";

// Every response is parsed by the procedure's `.output()` schema, so a new column in a
// table cannot reach a caller by accident. Each procedure is a REST route, and the
// document generator refuses a route without an output schema: so every procedure of the
// router (PROCEDURE_PATHS, checked against the router's type) must show one here.

type Operation = {
  "x-trpc-procedure": string;
  responses: { "200": { content: { "application/json": { schema: Record<string, unknown> } } } };
};

describe("output schemas", () => {
  it("are declared by every procedure of the router", () => {
    const doc = buildOpenApiDocument() as { paths: Record<string, Record<string, Operation>> };
    const outputs = new Map(
      Object.values(doc.paths)
        .flatMap((item) => Object.values(item))
        .map((op) => [op["x-trpc-procedure"], op.responses["200"].content["application/json"]]),
    );
    for (const path of PROCEDURE_PATHS) {
      const schema = outputs.get(path)?.schema ?? {};
      expect(Object.keys(schema), `${path} has no output schema`).not.toEqual([]);
    }
  });

  it("stop the document when a procedure lacks one, naming it", () => {
    const leaky = createTRPCRouter({
      leaky: authedProcedure
        .meta({ openapi: { method: "GET", path: "/leaky", protect: true } })
        .input(z.object({}))
        .query(() => ({ secret: "column nobody chose to show" })),
    });
    expect(() => buildOpenApiDocument(leaky)).toThrow(
      "leaky has no output schema: declare it with .output()",
    );
  });
});
