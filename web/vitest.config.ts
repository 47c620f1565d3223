// Unit tests of the client's pure logic (time-to-frame mapping, upload checks, messages, errors).
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: { include: ["src/**/*.test.ts"], environment: "node" },
});
