// Component tests (`npm test`): the app's own Vite config, in jsdom; tests/console/test_components.py runs them in
// make test.
import { defineConfig, mergeConfig } from "vitest/config";
import vite from "./vite.config";

export default mergeConfig(
  vite,
  defineConfig({
    test: {
      environment: "jsdom",
      setupFiles: ["src/test/setup.ts"],
      include: ["src/**/*.test.{ts,tsx}"],
      // Ant Design renders slowly in jsdom, and the machine running make test may be busy
      testTimeout: 60_000,
    },
  }),
);
