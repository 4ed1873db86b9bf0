import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

export default defineConfig({
  plugins: [react()],
  // Absolute asset URLs: the clinic serves index.html for deep links (/claims/…, /p/…) too.
  base: "/",
  build: { outDir: "dist", emptyOutDir: true },
});
