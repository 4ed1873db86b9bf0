export { default } from "@claimwire/tsconfig/vitest-both-stores";
