import { defineConfig } from "drizzle-kit";

// `pnpm db:generate` writes the SQL migrations into drizzle/ (committed); openDatabase()
// applies them at start and in tests.
export default defineConfig({
  dialect: "sqlite",
  schema: "./src/schema.ts",
  out: "./drizzle",
});
