import { defineConfig } from "vitest/config";

const packages = [
  "model-spec",
  "wire",
  "auth",
  "gateway",
  "gateway-client",
  "core",
  "testkit",
  "daemon",
  "evals",
  "cli",
];

export default defineConfig({
  test: {
    // Two cores: keep workers modest so servers and child processes in tests have room.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      ...packages.map((name) => ({
        extends: true,
        test: {
          name,
          root: `packages/${name}`,
          include: [
            "src/**/*.test.{ts,tsx}",
            "test/**/*.test.{ts,tsx}",
            // The dashboard page's pure modules (reducer, SSE parser) run in Node too.
            ...(name === "gateway" ? ["dashboard/src/**/*.test.ts"] : []),
          ],
          ...(name === "auth" ? { globalSetup: ["test/secret-service-session.ts"] } : {}),
          // daemon: integration tests start the real `hedge daemon run`, built once.
          ...(name === "daemon" ? { globalSetup: ["../cli/test/build-once.ts"] } : {}),
          ...(name === "cli"
            ? { globalSetup: ["test/build-once.ts", "../auth/test/secret-service-session.ts"] }
            : {}),
        },
      })),
      // scripts/: provisioning and the exec demo (which runs the bundled binary, built once).
      {
        extends: true,
        test: {
          name: "scripts",
          root: "scripts",
          include: ["**/*.test.ts"],
          globalSetup: ["../packages/cli/test/build-once.ts"],
        },
      },
    ],
  },
});
