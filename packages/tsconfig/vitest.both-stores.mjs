// For the insurer's suites: every test runs twice, once on SQLite and once on PostgreSQL
// (CLAIMWIRE_TEST_STORE, read by @claimwire/insurer-db/testing), the same tests, not
// copies. The PostgreSQL run creates a database per test insurer on the machine's server
// (127.0.0.1:5432; CLAIMWIRE_TEST_POSTGRES_URL overrides it) and drops it after.
// `*.postgres.test.ts` (several insurer processes on one database) runs on PostgreSQL
// only: SQLite is one process per file. `*.sqlite.test.ts` runs once, on the embedded
// default: for tests whose subject is not the store (a CLI over HTTP).
import { configDefaults } from "vitest/config";
import preset from "./vitest.preset.mjs";

export default {
  ...preset,
  test: {
    ...preset.test,
    projects: [
      {
        extends: true,
        test: {
          name: "sqlite",
          env: { CLAIMWIRE_TEST_STORE: "sqlite" },
          exclude: [...configDefaults.exclude, "**/*.postgres.test.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "postgres",
          env: { CLAIMWIRE_TEST_STORE: "postgres" },
          exclude: [...configDefaults.exclude, "**/*.sqlite.test.ts"],
        },
      },
    ],
  },
};
