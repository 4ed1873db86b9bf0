export { default } from "@claimwire/tsconfig/vitest";
