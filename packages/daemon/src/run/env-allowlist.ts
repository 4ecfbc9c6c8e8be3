/** The variables every run inherits from the daemon; nothing else passes unless named. */
export const BASE_ALLOWED = ["PATH", "HOME", "USER", "LOGNAME", "LANG", "LC_ALL", "TZ", "TMPDIR"];

/**
 * A run's environment: the allowlisted variables of `parent`, the loop's `--env` names, then
 * the adapter's additions. Keys, tokens and HEDGE_* variables of the daemon never pass unless
 * the user named them.
 */
export function runEnvironment(
  parent: NodeJS.ProcessEnv,
  extraNames: readonly string[],
  additions: Readonly<Record<string, string>>,
): Record<string, string> {
  const env: Record<string, string> = { TERM: "dumb", NO_COLOR: "1" };
  for (const name of [...BASE_ALLOWED, ...extraNames]) {
    const value = parent[name];
    if (value !== undefined) env[name] = value;
  }
  return { ...env, ...additions };
}
