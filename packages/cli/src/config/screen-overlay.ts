import { formatKeyPath } from "@hedge/auth";
import { isPlainObject } from "./merge.js";
import { isNarrowRule, UNTRUSTED_OVERLAY_RULES, type OverlayTable } from "./overlay-rules.js";

/** A key of an untrusted overlay that did not apply, and why. */
export interface IgnoredKey {
  /** Dotted key path, e.g. `providers.anthropic.base_url`. */
  key: string;
  /** `untrusted`: the key is not one an untrusted project may set; `widening`: its value would loosen the user's. */
  reason: "untrusted" | "widening";
}

/** What applies of an untrusted overlay, and what does not. */
export interface ScreenedOverlay {
  accepted: Record<string, unknown>;
  ignored: IgnoredKey[];
}

/**
 * Keeps of an untrusted overlay what `rules` allow, narrowed against `user` (the user's config
 * with defaults, Codex aliases folded). Every other key is named in `ignored`, leaf by leaf.
 */
export function screenOverlay(
  overlay: Record<string, unknown>,
  user: Record<string, unknown>,
  rules: OverlayTable = UNTRUSTED_OVERLAY_RULES,
): ScreenedOverlay {
  const ignored: IgnoredKey[] = [];
  const accepted = screenTable(overlay, rules, [], user, ignored);
  return { accepted, ignored };
}

function screenTable(
  table: Record<string, unknown>,
  rules: OverlayTable,
  path: readonly string[],
  user: Record<string, unknown>,
  ignored: IgnoredKey[],
): Record<string, unknown> {
  // Entries, not assignments: a key named __proto__ must stay a key.
  const accepted: [string, unknown][] = [];
  for (const [key, value] of Object.entries(table)) {
    const here = [...path, key];
    const rule = Object.hasOwn(rules, key) ? rules[key] : rules["*"];
    if (rule === undefined) {
      for (const leaf of leafPaths(value, here)) ignored.push({ key: leaf, reason: "untrusted" });
    } else if (rule === "allow") {
      accepted.push([key, value]);
    } else if (isNarrowRule(rule)) {
      const narrowed = rule.narrow(value, valueAt(user, rule.userPath ?? here));
      if (narrowed.widened) ignored.push({ key: formatKeyPath(here), reason: "widening" });
      if (Object.hasOwn(narrowed, "value")) accepted.push([key, narrowed.value]);
    } else if (isPlainObject(value)) {
      const inner = screenTable(value, rule, here, user, ignored);
      if (Object.keys(inner).length > 0) accepted.push([key, inner]);
    } else {
      ignored.push({ key: formatKeyPath(here), reason: "untrusted" });
    }
  }
  return Object.fromEntries(accepted);
}

/** The key paths of every value under `value` (a table's leaves; an array is one leaf). */
function leafPaths(value: unknown, path: readonly string[]): string[] {
  if (!isPlainObject(value) || Object.keys(value).length === 0) return [formatKeyPath(path)];
  return Object.entries(value).flatMap(([key, child]) => leafPaths(child, [...path, key]));
}

/** The value at `path` in nested tables, or undefined. */
export function valueAt(data: Record<string, unknown>, path: readonly string[]): unknown {
  let node: unknown = data;
  for (const segment of path) {
    if (!isPlainObject(node) || !Object.hasOwn(node, segment)) return undefined;
    node = node[segment];
  }
  return node;
}
