// Lets plain `node` run this package's TypeScript scripts (`node --import
// ./scripts/register-ts.mjs scripts/generate.ts`). Node 20 cannot strip types, and
// contracts depends on nothing but zod, so the generator is transpiled on the fly with
// the TypeScript compiler the package already has for `tsc`, file by file, types erased.
import { register } from "node:module";

register("./typescript-hooks.mjs", import.meta.url);
