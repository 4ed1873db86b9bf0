import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The insurer serves dist/ at /console/ (packages/insurer-api/src/console/serve-console.ts), with
// index.html for every route below it: asset URLs must be absolute so that a deep link
// such as /console/endpoints/ep_…/ still finds /console/assets/….
export default defineConfig({
  plugins: [react()],
  base: "/console/",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    rolldownOptions: {
      // contracts/ modules only define schemas and functions; saying so lets the bundle
      // drop the API schemas the console never calls at runtime (about 14 KB gzipped).
      treeshake: { moduleSideEffects: (id) => !id.includes("/contracts/src/") },
    },
  },
});
