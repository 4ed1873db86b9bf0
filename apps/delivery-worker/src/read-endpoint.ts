import { type EndpointConfig, EndpointConfigSchema, type Queue } from "@claimwire/queue";

/** An endpoint's config as the worker finds it in the endpoints KV bucket. */
export type EndpointLookup =
  | { kind: "found"; config: EndpointConfig }
  | { kind: "deleted" }
  | { kind: "invalid"; problem: string };

/**
 * Reads the endpoint's config at send time. A failure to reach KV throws (the task is
 * retried by the consume loop); a missing or unreadable entry is an answer, reported as
 * such. The problem text names fields only, never their values, which include secrets.
 */
export async function readEndpoint(
  endpoints: Queue["endpoints"],
  endpointId: string,
): Promise<EndpointLookup> {
  const entry = await endpoints.get(endpointId);
  if (entry?.operation !== "PUT") return { kind: "deleted" };
  let json: unknown;
  try {
    json = entry.json();
  } catch {
    return { kind: "invalid", problem: "the entry is not JSON" };
  }
  const parsed = EndpointConfigSchema.safeParse(json);
  if (parsed.success) return { kind: "found", config: parsed.data };
  const problem = parsed.error.issues
    .map((issue) => `${issue.path.join(".") || "(entry)"}: ${issue.message}`)
    .join("; ");
  return { kind: "invalid", problem };
}
