import { defineConfig } from "drizzle-kit";

// `pnpm db:generate` writes SQLite's migrations to ./drizzle/sqlite (committed); the
// insurer applies them at start-up (src/sqlite/open-sqlite-store.ts).
export default defineConfig({
  dialect: "sqlite",
  schema: "./src/sqlite/schema.ts",
  out: "./drizzle/sqlite",
});
