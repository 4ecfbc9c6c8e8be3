// Builds the dashboard page into OUT_DIR: index.html and content-hashed assets/. Run by the
// cli's build (tsup onSuccess) into packages/cli/dist/dashboard/, and by tests into a temp dir.
//   node packages/gateway/dashboard/build.mjs OUT_DIR
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

/** Bundles, minifies and writes the page; returns the asset names and the script's size. */
export async function buildDashboard(outDir) {
  const result = await build({
    entryPoints: [here("./src/main.ts")],
    bundle: true,
    minify: true,
    format: "esm",
    target: "es2022",
    platform: "browser",
    write: false,
    legalComments: "none",
    logLevel: "silent",
  });
  const script = result.outputFiles[0].contents;
  const style = readFileSync(here("./style.css"));
  const name = (base, bytes, extension) =>
    `${base}-${createHash("sha256").update(bytes).digest("hex").slice(0, 10)}.${extension}`;
  const scriptName = name("main", script, "js");
  const styleName = name("style", style, "css");
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(join(outDir, "assets"), { recursive: true });
  writeFileSync(join(outDir, "assets", scriptName), script);
  writeFileSync(join(outDir, "assets", styleName), style);
  const html = readFileSync(here("./index.html"), "utf8")
    .replace("/dashboard/assets/SCRIPT", `/dashboard/assets/${scriptName}`)
    .replace("/dashboard/assets/STYLE", `/dashboard/assets/${styleName}`);
  writeFileSync(join(outDir, "index.html"), html);
  return { script: scriptName, style: styleName, scriptBytes: script.length };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = process.argv[2];
  if (!out) {
    console.error("usage: node build.mjs OUT_DIR");
    process.exit(2);
  }
  const built = await buildDashboard(out);
  console.log(`dashboard: ${built.script} (${built.scriptBytes} B), ${built.style}`);
}
