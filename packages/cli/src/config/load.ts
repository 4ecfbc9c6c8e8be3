import { existsSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { HedgeError, readTomlFile } from "@hedge/auth";
import { holdsRepository } from "@hedge/core";
import { EXIT } from "../exit-codes.js";
import { describeIssue } from "./describe-issue.js";
import { mergeConfig } from "./merge.js";
import { overridesToObject } from "./overrides.js";
import { configSchema, type HedgeConfig } from "./schema.js";

/** One source of config, in precedence order (later wins). */
export interface ConfigLayer {
  /** `user`, `project` or `override`. */
  kind: "user" | "project" | "override";
  /** A file path, or `-c` for command-line overrides. */
  source: string;
  /** False when the file does not exist (it is still reported by `config path`). */
  present: boolean;
  data: Record<string, unknown>;
}

export interface LoadedConfig {
  config: HedgeConfig;
  layers: ConfigLayer[];
  home: string;
}

export interface LoadConfigInput {
  home: string;
  cwd: string;
  overrides: readonly string[];
}

/**
 * Reads `$HEDGE_HOME/config.toml`, then the nearest project `.hedge/config.toml`, then `-c`
 * overrides, validating each layer on its own so an error names the file it came from.
 */
export function loadConfig(input: LoadConfigInput): LoadedConfig {
  const layers: ConfigLayer[] = configFiles(input.home, input.cwd).map((file) =>
    readLayer(file.kind, file.path),
  );
  if (input.overrides.length > 0) {
    layers.push({
      kind: "override",
      source: "-c",
      present: true,
      data: overridesToObject(input.overrides),
    });
  }
  let merged: Record<string, unknown> = {};
  for (const layer of layers) {
    validate(layer.data, layer.source);
    merged = mergeConfig(merged, layer.data);
  }
  return { config: validate(merged, "merged config"), layers, home: input.home };
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

function readLayer(kind: "user" | "project", file: string): ConfigLayer {
  if (existsSync(file) && statSync(file).isDirectory())
    throw configError(`${file} is a directory, not a file`);
  const data = readTomlFile(file, {
    unreadable: (message) => configError(message, "check the file's permissions"),
    invalid: (message) => configError(message),
  });
  return { kind, source: file, present: data !== undefined, data: data ?? {} };
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
