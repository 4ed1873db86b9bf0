// The package's public API: what other packages and apps import.
export * from "./address-policy.ts";
