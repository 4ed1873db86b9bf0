import { defineConfig } from "drizzle-kit";

// `pnpm db:generate` writes PostgreSQL's migrations to ./drizzle/postgres (committed); the
// insurer applies them at start-up (src/postgres/open-postgres-store.ts).
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/postgres/schema.ts",
  out: "./drizzle/postgres",
});
