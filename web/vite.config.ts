// Builds the single-page app into WEB_OUT_DIR (CMake passes <build>/web), hashed file names
// under assets/ (the API and nginx serve those as immutable). `npm run dev` serves it with hot
// reload and forwards the API routes and the WebSocket to ASCENSION_API_URL.
import { defineConfig } from "vite";

const api = process.env.ASCENSION_API_URL ?? "http://127.0.0.1:8080";

export default defineConfig({
  esbuild: { jsx: "automatic" },
  build: {
    outDir: process.env.WEB_OUT_DIR ?? "dist",
    emptyOutDir: true,
    assetsDir: "assets",
    sourcemap: false,
    target: "es2022",
  },
  server: {
    proxy: {
      "/v1/ws": { target: api.replace(/^http/, "ws"), ws: true },
      "/v1": { target: api, changeOrigin: false },
      "/health": api,
      "/openapi.json": api,
    },
  },
});
