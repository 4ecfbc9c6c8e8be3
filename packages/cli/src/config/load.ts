import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { HedgeError } from "@hedge/model-spec";
import { parseTomlText, readTomlFile } from "@hedge/auth";
import { holdsRepository } from "@hedge/core";
import { EXIT } from "../exit-codes.js";
import { foldCodexAliases } from "./codex-aliases.js";
import { describeIssue } from "./describe-issue.js";
import { mergeConfig } from "./merge.js";
import { overridesToObject } from "./overrides.js";
import { configSchema, type HedgeConfig } from "./schema.js";
import { screenOverlay, type IgnoredKey } from "./screen-overlay.js";
import {
  overlayDigest,
  projectDirOf,
  readTrustFile,
  trustStateOf,
  type TrustState,
} from "./trust-store.js";

/** One source of config, in precedence order (later wins). */
export interface ConfigLayer {
  /** `user`, `project` or `override`. */
  kind: "user" | "project" | "override";
  /** A file path, or `-c` for command-line overrides. */
  source: string;
  /** False when the file does not exist (it is still reported by `config path`). */
  present: boolean;
  /** What applied of this layer (of an untrusted project, what screening kept), Codex aliases folded. */
  data: Record<string, unknown>;
}

/** The project overlay that applies in `cwd` and how much of it was trusted. */
export interface ProjectOverlay {
  /** The overlay file, `DIR/.hedge/config.toml`. */
  path: string;
  /** The project directory, symlinks resolved: what `hedge trust` records. */
  dir: string;
  trust: TrustState;
  /** SHA-256 of the bytes read and parsed: what `hedge trust` records. */
  sha256: string;
  /** Keys that did not apply because the project is not trusted (none when it is). */
  ignored: IgnoredKey[];
}

export interface LoadedConfig {
  config: HedgeConfig;
  layers: ConfigLayer[];
  home: string;
  /** Absent when no project overlay applies in `cwd`. */
  project?: ProjectOverlay;
}

export interface LoadConfigInput {
  home: string;
  cwd: string;
  overrides: readonly string[];
}

/**
 * Reads `$HEDGE_HOME/config.toml`, then the nearest project `.hedge/config.toml`, then `-c`
 * overrides, validating each layer on its own so an error names the file it came from. A project
 * the user has not trusted (`hedge trust`) applies only what an untrusted overlay may set, and
 * only to narrow what the user's file allows.
 */
export function loadConfig(input: LoadConfigInput): LoadedConfig {
  const layers: ConfigLayer[] = [];
  let project: ProjectOverlay | undefined;
  for (const file of configFiles(input.home, input.cwd)) {
    if (file.kind === "user") {
      const read = readUserFile(file.path);
      validate(read.data, file.path);
      layers.push({
        kind: "user",
        source: file.path,
        present: read.present,
        data: foldCodexAliases(read.data),
      });
    } else {
      const user = validate(layers[0]?.data ?? {}, "user config") as Record<string, unknown>;
      const read = readProjectFile(input.home, file.path, user);
      project = read.project;
      layers.push({ kind: "project", source: file.path, present: true, data: read.data });
    }
  }
  if (input.overrides.length > 0) {
    const data = overridesToObject(input.overrides);
    validate(data, "-c");
    layers.push({ kind: "override", source: "-c", present: true, data: foldCodexAliases(data) });
  }
  let merged: Record<string, unknown> = {};
  for (const layer of layers) merged = mergeConfig(merged, layer.data);
  return {
    config: validate(merged, "merged config"),
    layers,
    home: input.home,
    ...(project ? { project } : {}),
  };
}

/** The config files that apply in `cwd`, lowest precedence first (they may not exist). */
export function configFiles(
  home: string,
  cwd: string,
): { kind: "user" | "project"; path: string }[] {
  const userFile = join(home, "config.toml");
  const projectFile = findProjectConfig(cwd, userFile);
  return [
    { kind: "user", path: userFile },
    ...(projectFile ? [{ kind: "project" as const, path: projectFile }] : []),
  ];
}

/** The project overlay: `.hedge/config.toml` in `cwd` or a parent, up to the git root. */
export function findProjectConfig(cwd: string, userFile: string): string | undefined {
  let directory = resolve(cwd);
  for (;;) {
    const candidate = join(directory, ".hedge", "config.toml");
    if (candidate !== userFile && existsSync(candidate)) return candidate;
    if (holdsRepository(directory)) return undefined;
    const parent = dirname(directory);
    if (parent === directory) return undefined;
    directory = parent;
  }
}

function readUserFile(file: string): { present: boolean; data: Record<string, unknown> } {
  if (existsSync(file) && statSync(file).isDirectory())
    throw configError(`${file} is a directory, not a file`);
  const data = readTomlFile(file, {
    unreadable: (message) => configError(message, "check the file's permissions"),
    invalid: (message) => configError(message),
  });
  return { present: data !== undefined, data: data ?? {} };
}

/**
 * Reads a project overlay once (the bytes hashed are the bytes parsed), then keeps all of it when
 * the user trusted this content, else what an untrusted overlay may set against `user`.
 */
function readProjectFile(
  home: string,
  file: string,
  user: Record<string, unknown>,
): { data: Record<string, unknown>; project: ProjectOverlay } {
  if (statSync(file).isDirectory()) throw configError(`${file} is a directory, not a file`);
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unknown error";
    throw configError(`cannot read ${file} (${code})`, "check the file's permissions");
  }
  const data = parseTomlText(bytes.toString("utf8"), file, {
    invalid: (message) => configError(message),
  });
  validate(data, file);
  const dir = projectDirOf(file);
  const sha256 = overlayDigest(bytes);
  const trust = trustStateOf(readTrustFile(home), dir, sha256);
  const screened =
    trust === "trusted" ? { accepted: data, ignored: [] } : screenOverlay(data, user);
  return {
    data: foldCodexAliases(withoutUserOnlyKeys(screened.accepted)),
    project: { path: file, dir, trust, sha256, ignored: screened.ignored },
  };
}

/**
 * Keys no project overlay sets, trusted or not: `daemon.store` decides where the loops ledger
 * lives, and whoever can write that ledger names programs the daemon runs (and reads every loop's
 * prompt). Only the user's file and `-c` choose it.
 */
const USER_ONLY_KEYS: readonly (readonly [string, string])[] = [["daemon", "store"]];

function withoutUserOnlyKeys(data: Record<string, unknown>): Record<string, unknown> {
  let result = data;
  for (const [table, key] of USER_ONLY_KEYS) {
    const section = result[table];
    if (typeof section !== "object" || section === null || !(key in section)) continue;
    const { [key]: _dropped, ...rest } = section as Record<string, unknown>;
    result = { ...result, [table]: rest };
  }
  return result;
}

function validate(data: Record<string, unknown>, source: string): HedgeConfig {
  const result = configSchema.safeParse(data);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const detail = issue ? describeIssue(issue, data, configSchema) : "invalid";
  const more =
    result.error.issues.length > 1 ? ` (and ${result.error.issues.length - 1} more)` : "";
  throw configError(`${source}: ${detail}${more}`);
}

function configError(message: string, hint?: string): HedgeError {
  return new HedgeError("config_invalid", message, {
    exitCode: EXIT.config,
    hint:
      hint ?? "fix the value, then check with 'hedge config show' (docs: README, Configuration)",
  });
}
