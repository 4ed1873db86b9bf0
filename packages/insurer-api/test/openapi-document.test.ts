import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  WEBHOOK_EVENT_EXAMPLES,
  WEBHOOK_EVENT_SCHEMAS,
  WebhookEventSchema,
} from "@claimwire/contracts";
import { describe, expect, it } from "vitest";
import {
  buildOpenApiDocument,
  PROCEDURE_ERRORS,
  renderOpenApiDocument,
} from "../src/openapi/openapi-document.ts";
import {
  embeddedDefinition,
  GENERATE_COMMAND,
  OPENAPI_JSON_PATH,
  REFERENCE_HTML_PATH,
} from "../src/openapi/openapi-files.ts";
import { restRoutes } from "../src/rest/rest-router.ts";
import { appRouter } from "../src/routers/root.ts";
import { PROCEDURE_PATHS } from "./procedure-paths.ts";

// The OpenAPI document (openapi/openapi.json) and the reference page (openapi/reference.html)
// are generated and committed; this is their CI check, and the check of what they say.

type Json = Record<string, unknown>;
type Operation = Json & { "x-trpc-procedure"?: string; operationId: string };

const STALE = `packages/insurer-api/openapi is out of date: run \`${GENERATE_COMMAND}\` and commit the result`;
const doc = buildOpenApiDocument() as Json & {
  paths: Record<string, Record<string, Operation>>;
  webhooks: Record<string, { post: Operation }>;
  components: { schemas: Record<string, Json> };
};
const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
  Object.entries(item).map(([method, operation]) => ({ path, method, operation })),
);

/** contracts/generated/<folder>/*.json, without the file header, by file name. */
function contractArtefacts(folder: "schemas" | "events"): Map<string, Json> {
  const dir = fileURLToPath(new URL(`../../../contracts/generated/${folder}/`, import.meta.url));
  return new Map(
    readdirSync(dir).map((file) => {
      const {
        $comment: _c,
        $schema: _s,
        ...schema
      } = JSON.parse(readFileSync(join(dir, file), "utf8")) as Json;
      return [file.replace(/\.json$/, ""), schema];
    }),
  );
}

/** Every `$ref` in `value`. */
function refsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refsIn);
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, v]) =>
    key === "$ref" && typeof v === "string" ? [v] : refsIn(v),
  );
}

describe("openapi/openapi.json", () => {
  it("is what the router and the contracts generate today", () => {
    const committed = readFileSync(OPENAPI_JSON_PATH, "utf8");
    expect(committed === renderOpenApiDocument(), STALE).toBe(true);
  });

  it("says it is generated, and by what", () => {
    expect(doc["x-generated"]).toContain(GENERATE_COMMAND);
    expect(doc.openapi).toBe("3.1.0");
  });

  it("has a REST route for every procedure of the router, each once", () => {
    const procedures = PROCEDURE_PATHS;
    const routed = restRoutes(appRouter).map((r) => r.procedure);
    expect(routed, "give each procedure `.meta({ openapi: … })`").toEqual(procedures);
    expect(operations.map((o) => o.operation["x-trpc-procedure"]).sort()).toEqual(
      [...procedures].sort(),
    );
    const ids = operations.map((o) => o.operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const procedure of Object.keys(PROCEDURE_ERRORS)) expect(procedures).toContain(procedure);
  });

  it("protects every route with the bearer scheme", () => {
    for (const { operation } of operations) {
      expect(operation.security).toEqual([{ bearerAuth: [] }]);
    }
  });

  it("has a webhook for every event type, with its schema, its example and the three headers", () => {
    expect(Object.keys(doc.webhooks).sort()).toEqual(Object.keys(WEBHOOK_EVENT_SCHEMAS).sort());
    for (const [type, { post }] of Object.entries(doc.webhooks)) {
      const body = (post.requestBody as Json).content as Record<string, Json>;
      expect(body["application/json"]?.schema).toEqual({ $ref: `#/components/schemas/${type}` });
      const example = body["application/json"]?.example;
      expect(example).toEqual(WEBHOOK_EVENT_EXAMPLES[type as keyof typeof WEBHOOK_EVENT_EXAMPLES]);
      expect(WebhookEventSchema.parse(example).type).toBe(type);
      expect(refsIn(post.parameters)).toEqual([
        "#/components/parameters/WebhookId",
        "#/components/parameters/WebhookTimestamp",
        "#/components/parameters/WebhookSignature",
      ]);
    }
    const headers = (doc.components as unknown as { parameters: Record<string, Json> }).parameters;
    const webhookHeaders = ["WebhookId", "WebhookTimestamp", "WebhookSignature"].map(
      (name) => headers[name]!,
    );
    expect(webhookHeaders.map((p) => [p.name, p.in, p.required])).toEqual([
      ["webhook-id", "header", true],
      ["webhook-timestamp", "header", true],
      ["webhook-signature", "header", true],
    ]);
  });

  it("takes Idempotency-Key on the creating calls only, and documents 429 with Retry-After everywhere", () => {
    const idempotent = operations
      .filter(({ operation: op }) =>
        refsIn(op.parameters).includes("#/components/parameters/IdempotencyKey"),
      )
      .map(({ operation: op }) => op["x-trpc-procedure"])
      .sort();
    expect(idempotent).toEqual(
      expect.arrayContaining([
        "claims.submit",
        "clinics.create",
        "deliveries.resend",
        "endpoints.create",
        "endpoints.recover",
        "endpoints.rotateSecret",
      ]),
    );
    expect(idempotent).not.toContain("claims.withdraw");
    for (const { operation: op } of operations) {
      const responses = op.responses as Record<string, Json>;
      expect(responses["429"], String(op["x-trpc-procedure"])).toBeDefined();
    }
    const tooMany = (doc.components as unknown as { responses: Record<string, Json> }).responses
      .TooManyRequests as { headers: Record<string, unknown> };
    expect(Object.keys(tooMany.headers)).toEqual(["Retry-After"]);
  });

  it("uses the contracts' generated JSON Schemas as its schemas (the same zod source)", () => {
    const schemas = contractArtefacts("schemas");
    const events = contractArtefacts("events");
    const named = Object.entries(doc.components.schemas).filter(([name]) => name !== "Error");
    expect(named.length).toBeGreaterThan(events.size);
    for (const [name, schema] of named) {
      const artefact = schemas.get(name) ?? events.get(name);
      expect(artefact, `${name} is not in contracts/generated`).toBeDefined();
      expect(schema, name).toEqual(artefact);
    }
  });

  it("is what docs/api.md lists, route by route", () => {
    const docs = readFileSync(new URL("../../../docs/api.md", import.meta.url), "utf8");
    for (const { path, method, operation } of operations) {
      const route = `${method.toUpperCase()} /api/v1${path}\``;
      expect(docs, `docs/api.md lists no \`${route}`).toContain(`\`${route}`);
      expect(docs).toContain(`\`${operation["x-trpc-procedure"]}\``);
    }
  });

  it("resolves every $ref", () => {
    for (const ref of refsIn(doc)) {
      const [, section, name] = /^#\/components\/(\w+)\/(.+)$/.exec(ref) ?? [];
      const components = doc.components as unknown as Record<string, Record<string, unknown>>;
      expect(section && name && components[section]?.[name], ref).toBeTruthy();
    }
  });
});

describe("openapi/reference.html", () => {
  it("is Redoc's offline page of the current document", () => {
    const html = readFileSync(REFERENCE_HTML_PATH, "utf8");
    expect(html).toMatch(/^<!DOCTYPE html>/i);
    const embedded = JSON.stringify(embeddedDefinition(html));
    expect(embedded === JSON.stringify(JSON.parse(renderOpenApiDocument())), STALE).toBe(true);
    // Its scripts are inline (--inlineBundle): nothing is loaded from elsewhere.
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).not.toMatch(/<link[^>]+rel="stylesheet"/);
  });
});
