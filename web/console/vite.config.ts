// The console is served by the one origin at `/` (make run's origin, nginx in production), beside the three
// services' paths, so it calls them with absolute paths and no CORS. `npm run dev` proxies those paths to the
// origin `make run` started (ORIGIN, default http://127.0.0.1:8000).
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const origin = process.env.ORIGIN ?? "http://127.0.0.1:8000";

export default defineConfig({
  plugins: [react()],
  build: { outDir: "dist", sourcemap: false, chunkSizeWarningLimit: 2000 },
  server: {
    proxy: Object.fromEntries(
      ["/v1", "/tasks", "/scoring", "/notify", "/docs", "/docs-assets", "/openapi.json"].map((p) => [p, origin]),
    ),
  },
});
