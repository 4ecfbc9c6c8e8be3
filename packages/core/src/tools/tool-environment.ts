import type { z } from "zod";
import type { shellEnvironmentPolicySchema } from "../config-schema.js";
import type { SecretRedactor } from "./redact.js";

/** `[shell_environment_policy]`, parsed (defaults filled in). */
export type ShellEnvironmentPolicy = z.output<typeof shellEnvironmentPolicySchema>;

/**
 * `inherit = "core"`: what commands need to find programs, a home, a temp dir and the user's
 * locale (Codex's core set plus locale, terminal and time zone variables).
 */
export const CORE_VARIABLES = [
  "HOME", "LOGNAME", "PATH", "SHELL", "USER", "USERNAME", "TMPDIR", "TEMP", "TMP",
  "LANG", "LANGUAGE", "LC_*", "TERM", "TZ",
] as const; // prettier-ignore

/** Names dropped unless `ignore_default_excludes` (Codex's three, plus passwords). */
export const DEFAULT_EXCLUDES = ["*KEY*", "*SECRET*", "*TOKEN*", "*PASSWORD*"] as const;

/** What is never passed to a tool's child process, whatever the policy says. */
export interface HeldSecrets {
  /** Variables holding hedge's own keys (every `api_key_env`, the gateway key variable, ...). */
  variables: readonly string[];
  /** Any variable whose value holds one of these secrets is dropped too (under any name). */
  redactor: SecretRedactor;
}

/**
 * The environment of every child process a tool starts, following Codex's steps: start from
 * `inherit`, drop the default excludes, drop `exclude`, add `set`, keep only `include_only` (when
 * given). Last, and not up to the policy: hedge's own key variables and any variable holding one
 * of its secrets are removed.
 */
export function buildToolEnvironment(
  parent: NodeJS.ProcessEnv,
  policy: ShellEnvironmentPolicy,
  held: HeldSecrets,
): Record<string, string> {
  const start = Object.entries(parent).filter(
    (entry): entry is [string, string] => entry[1] !== undefined,
  );
  const core = matcher(CORE_VARIABLES);
  let entries =
    policy.inherit === "all"
      ? start
      : policy.inherit === "core"
        ? start.filter(([name]) => core(name))
        : [];
  if (!policy.ignore_default_excludes) {
    const excluded = matcher(DEFAULT_EXCLUDES);
    entries = entries.filter(([name]) => !excluded(name));
  }
  const excluded = matcher(policy.exclude);
  entries = entries.filter(([name]) => !excluded(name));
  const env = new Map(entries);
  for (const [name, value] of Object.entries(policy.set)) env.set(name, value);
  if (policy.include_only.length > 0) {
    const included = matcher(policy.include_only);
    for (const name of env.keys()) if (!included(name)) env.delete(name);
  }
  const protectedNames = new Set(held.variables.map((name) => name.toUpperCase()));
  for (const [name, value] of env) {
    if (protectedNames.has(name.toUpperCase()) || held.redactor.contains(value)) env.delete(name);
  }
  return Object.fromEntries(env);
}

/** Whether a name matches one of `patterns`: case-insensitive globs where `*` and `?` are wildcards. */
function matcher(patterns: readonly string[]): (name: string) => boolean {
  if (patterns.length === 0) return () => false;
  const source = patterns
    .map((pattern) =>
      pattern
        .split("")
        .map((char) =>
          char === "*" ? ".*" : char === "?" ? "." : char.replace(/[.+^${}()|[\]\\]/g, "\\$&"),
        )
        .join(""),
    )
    .join("|");
  const regex = new RegExp(`^(?:${source})$`, "i");
  return (name) => regex.test(name);
}
