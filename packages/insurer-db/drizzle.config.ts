import { defineConfig } from "drizzle-kit";

// `pnpm exec drizzle-kit generate` writes migrations to ./drizzle (committed); the app
// applies them at start-up with drizzle's migrator (src/db/open-database.ts).
export default defineConfig({
  dialect: "sqlite",
  schema: "./src/db/schema.ts",
  out: "./drizzle",
});
