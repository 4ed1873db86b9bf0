// The contract tooling: artefact generation, the breaking-change gate and the consumer
// checks (docs/contracts.md). Reading and writing the artefact folders is in
// `@claimwire/contracts/artefact-files`, the one part that touches the file system.
export * from "./artefacts.ts";
export * from "./breaking-changes.ts";
export * from "./consumer-contract.ts";
export * from "./event-version.ts";
export * from "./generate-artefacts.ts";
export { type JsonSchema, type JsonSchemaObject, withoutAnnotations } from "./json-schema.ts";
export * from "./render-json.ts";
