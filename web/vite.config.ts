import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

/**
 * The responder web app. `npm run build:web` writes web/dist, which the server
 * serves under /app; `npm run dev:web` serves it with hot reload and sends /api
 * to a running server (RUNSHEET_URL, default http://127.0.0.1:3000).
 */
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "/app/",
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    // Vite would inline small assets as data: URLs; the page's CSP allows only our own files.
    assetsInlineLimit: 0,
  },
  server: {
    proxy: {
      // No changeOrigin: the API refuses a session's writes whose Origin is not its Host.
      "/api": { target: process.env.RUNSHEET_URL ?? "http://127.0.0.1:3000" },
    },
  },
});
