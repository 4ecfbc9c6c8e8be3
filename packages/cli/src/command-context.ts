import { z } from "zod";
import { configFiles, loadConfig, type LoadedConfig } from "./config/load.js";
import { overlayNotice } from "./config/overlay-notice.js";
import { hedgeHome, type GlobalOptions } from "./context.js";

// Apart from context.ts on purpose: loading config pulls in every package's config schema, which
// commands that only read profiles (auth list, auth status) must not load.

/** What most commands start from: HEDGE_HOME and the config that applies in `cwd`. */
export interface CommandContext {
  home: string;
  loaded: LoadedConfig;
}

/**
 * `notice`: where the one line about an untrusted project overlay goes (stderr unless a screen
 * owns the terminal: the interactive session shows it as a notice).
 */
export function commandContext(
  globals: GlobalOptions,
  cwd = process.cwd(),
  notice: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): CommandContext {
  // A command parses each schema a few times at most: zod's compiled fast path would cost more
  // to build (half of loading the config) than it saves. `gateway serve` turns it back on.
  z.config({ jitless: true });
  const home = hedgeHome();
  const loaded = loadConfig({ home, cwd, overrides: globals.configOverrides });
  noticeIgnoredKeys(loaded, home, notice);
  return { home, loaded };
}

/** Overlays already named on stderr by this process: one line per run, however often loaded. */
const noticed = new Set<string>();

/**
 * Names on stderr (or `notice`), once, what an untrusted project overlay could not set. Never
 * stdout: it may carry `--json` data.
 */
function noticeIgnoredKeys(
  loaded: LoadedConfig,
  home: string,
  notice: (line: string) => void,
): void {
  const project = loaded.project;
  if (!project || noticed.has(project.path)) return;
  const fromCwd = configFiles(home, process.cwd()).some((file) => file.path === project.path);
  const line = overlayNotice(project, fromCwd);
  if (!line) return;
  noticed.add(project.path);
  notice(line);
}
