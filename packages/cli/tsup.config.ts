import { readFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { defineConfig } from "tsup";
import type { buildDashboard as BuildDashboard } from "../gateway/dashboard/build.mjs";

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

const manifest = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8")) as {
  version: string;
};

export default defineConfig({
  entry: { hedge: here("./src/bin.ts") },
  outDir: here("./dist"),
  format: "esm",
  platform: "node",
  target: "node20",
  bundle: true,
  // Command modules load on demand: `--version` and `--help` never parse them.
  splitting: true,
  clean: true,
  sourcemap: true,
  // Everything pure-JS is bundled (one file to start, no module resolution at startup);
  // native addons stay external.
  noExternal: [/^(?!better-sqlite3|@napi-rs\/keyring)/],
  external: ["better-sqlite3", "@napi-rs/keyring"],
  // The dashboard page (served by `hedge gateway serve` at /dashboard) ships next to the binary.
  // Loaded by path at run time: tsup bundles this config, and esbuild must resolve from gateway.
  onSuccess: async () => {
    const builder = pathToFileURL(here("../gateway/dashboard/build.mjs")).href;
    const { buildDashboard } = (await import(builder)) as {
      buildDashboard: typeof BuildDashboard;
    };
    await buildDashboard(here("./dist/dashboard"));
  },
  define: { __HEDGE_VERSION__: JSON.stringify(manifest.version) },
  banner: {
    js: [
      "#!/usr/bin/env node",
      'import { createRequire as __hedgeCreateRequire } from "node:module";',
      "const require = __hedgeCreateRequire(import.meta.url);",
    ].join("\n"),
  },
});
