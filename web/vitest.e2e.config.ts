// End-to-end tests: Playwright (playwright-core) driving Debian's chromium against a running
// stack (ASCENSION_ENV_FILE). One file at a time, one test at a time: they share the stack.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["e2e/**/*.e2e.ts"],
    environment: "node",
    fileParallelism: false,
    sequence: { concurrent: false },
    testTimeout: 240_000,
    hookTimeout: 120_000,
    reporters: ["default"],
  },
});
