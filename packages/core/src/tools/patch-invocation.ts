import { shellScriptOf } from "./safe-command.js";

const PROGRAMS = new Set(["apply_patch", "applypatch"]);

/**
 * The patch text when a shell call is really an `apply_patch` invocation, as Codex-trained models
 * write it: `["apply_patch", "<patch>"]` or `["bash", "-lc", "apply_patch <<'EOF'\n...\nEOF"]`.
 * There is no `apply_patch` executable; hedge applies such patches itself.
 */
export function patchFromShellCommand(argv: readonly string[]): string | undefined {
  const [program, patch, ...rest] = argv;
  if (program !== undefined && PROGRAMS.has(program) && patch !== undefined && rest.length === 0) {
    return patch;
  }
  const script = shellScriptOf(argv)?.trim();
  if (script === undefined) return undefined;
  const firstWord = /^(\S+)\s+<</.exec(script)?.[1];
  return firstWord !== undefined && PROGRAMS.has(firstWord) ? script : undefined;
}
