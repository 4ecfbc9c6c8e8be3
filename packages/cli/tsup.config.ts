import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { defineConfig, type Options } from "tsup";
import type { buildDashboard as BuildDashboard } from "../gateway/dashboard/build.mjs";

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

const manifest = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8")) as {
  version: string;
};

/**
 * zod's `locales` namespace with English only. zod's messages come from `locales/en.js`, which
 * zod imports itself; the index only serves `z.locales.xx()`, which hedge never calls, and its 45
 * other languages were half of zod's code in the bundle (357 KB parsed at every start).
 */
const zodEnglishOnly: NonNullable<Options["esbuildPlugins"]>[number] = {
  name: "zod-english-only",
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]zod[\\/]v4[\\/]/.test(args.importer)
        ? { path: join(dirname(args.importer), "../locales/en.js"), namespace: "zod-locales" }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "zod-locales" }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(args.path)};`,
      resolveDir: dirname(args.path),
      loader: "js",
    }));
  },
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
  define: {
    __HEDGE_VERSION__: JSON.stringify(manifest.version),
    // React's production build (the development one is larger and slower, and checks props).
    "process.env.NODE_ENV": JSON.stringify("production"),
  },
  esbuildPlugins: [zodEnglishOnly],
  esbuildOptions(options) {
    // ink imports react-devtools-core only when DEV=true; it is not installed (and bundling it
    // fails), so that import resolves to an empty stand-in.
    options.alias = { ...options.alias, "react-devtools-core": here("./src/tui/devtools-stub.ts") };
    // The build runs from the workspace root, whose tsconfig has no `jsx`: React 17+'s transform.
    options.jsx = "automatic";
  },
  banner: {
    js: [
      "#!/usr/bin/env node",
      'import { createRequire as __hedgeCreateRequire } from "node:module";',
      "const require = __hedgeCreateRequire(import.meta.url);",
    ].join("\n"),
  },
});
