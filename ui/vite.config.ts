import { svelte } from "@sveltejs/vite-plugin-svelte";
import { defineConfig } from "vitest/config";

// A static single-page app that Tauri serves from ui/dist; no network at run time.
export default defineConfig(({ mode }) => ({
  plugins: [svelte()],
  clearScreen: false,
  server: { port: 1420, strictPort: true },
  build: { target: "safari15", outDir: "dist", emptyOutDir: true },
  // Component tests mount Svelte's browser build in jsdom (files that say `@vitest-environment jsdom`).
  resolve: mode === "test" ? { conditions: ["browser"] } : undefined,
  test: { environment: "node", include: ["src/**/*.test.ts"], setupFiles: ["src/test-setup.ts"] },
}));
