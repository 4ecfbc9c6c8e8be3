// What a run of the built binary loads: a loader hook lists every module the process loads, and
// each bundle chunk loaded is read for the source files esbuild put in it (`// path/to/file.ts`
// before each one).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { HEDGE_BIN, runProcess } from "./run-hedge.js";

const REGISTER = fileURLToPath(new URL("./fixtures/loaded-modules/register.mjs", import.meta.url));

/** What one hedge run loaded: gateway source files (relative to its src/) and npm packages. */
export interface Loaded {
  gateway: string[];
  packages: string[];
}

/** Runs the built binary with the loader hook; returns what it loaded. */
export async function loadedBy(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  input = "",
): Promise<{ run: { code: number | null; stdout: string; stderr: string }; loaded: Loaded }> {
  const dir = mkdtempSync(join(tmpdir(), "hedge-loaded-"));
  const log = join(dir, "loaded.txt");
  writeFileSync(log, "");
  const run = await runProcess(process.execPath, ["--import", REGISTER, HEDGE_BIN, ...args], {
    env: { ...env, LOADED_LOG: log },
    input,
  });
  const gateway = new Set<string>();
  const packages = new Set<string>();
  const lines = readFileSync(log, "utf8").split("\n");
  rmSync(dir, { recursive: true, force: true });
  for (const line of lines) {
    const file = line.startsWith("cjs:")
      ? line.slice(4)
      : line.startsWith("file:")
        ? fileURLToPath(line)
        : undefined;
    if (!file) continue;
    const npm = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(file);
    if (npm?.[1]) packages.add(npm[1]);
    if (!file.endsWith(".js") || !file.startsWith(dirname(HEDGE_BIN))) continue;
    // A chunk of the bundle: the sources in it, by esbuild's comment before each.
    for (const [, source] of readFileSync(file, "utf8").matchAll(/^\/\/ (\S+)$/gm)) {
      const inGateway = /(?:^|\/)gateway\/src\/(.+)$/.exec(source ?? "");
      if (inGateway?.[1]) gateway.add(inGateway[1]);
      const bundled = /node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(
        source ?? "",
      );
      if (bundled?.[1]) packages.add(bundled[1]);
    }
  }
  return { run, loaded: { gateway: [...gateway].sort(), packages: [...packages].sort() } };
}
