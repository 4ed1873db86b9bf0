// The pure logic of the web app (form validation, wording, which page a URL shows) runs
// in Node; the pages themselves are exercised in a real browser by test/browser/.
export { default } from "@claimwire/tsconfig/vitest";
