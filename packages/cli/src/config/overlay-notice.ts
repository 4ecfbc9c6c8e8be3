import type { ProjectOverlay } from "./load.js";

/** Keys named on the one stderr line; `hedge config show` lists them all. */
const NOTICE_KEYS = 8;

/**
 * The one line that says which keys of an untrusted project overlay did not apply and how to
 * apply them, or undefined when everything applied. `fromCwd`: `hedge trust` without DIR would
 * find this project (so the hint needs no path).
 */
export function overlayNotice(project: ProjectOverlay, fromCwd: boolean): string | undefined {
  if (project.ignored.length === 0) return undefined;
  const shown = project.ignored
    .slice(0, NOTICE_KEYS)
    .map((ignored) => (ignored.reason === "widening" ? `${ignored.key} (widening)` : ignored.key));
  const more = project.ignored.length - shown.length;
  const keys = more > 0 ? `${shown.join(", ")} and ${more} more` : shown.join(", ");
  const state =
    project.trust === "changed"
      ? "changed since you trusted it, so it is not trusted"
      : "is not trusted";
  const command = fromCwd ? "hedge trust" : `hedge trust ${shellWord(project.dir)}`;
  return `hedge: ${project.path} ${state}: ignored ${keys}; run '${command}' to apply them (see 'hedge config show')`;
}

function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `"${text.replaceAll('"', '\\"')}"`;
}
