// The package's public API: what other packages and apps import.
export * from "./open-database.ts";
export * from "./schema.ts";
