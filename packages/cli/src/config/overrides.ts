import { parse as parseToml } from "smol-toml";
import { HedgeError, UsageError } from "@hedge/model-spec";
import { RESERVED_KEYS, formatKeyPath } from "@hedge/auth";
import { EXIT } from "../exit-codes.js";

/**
 * Turns `-c key=value` strings into a config object. The key is a dotted path (segments may be
 * double-quoted: `routing.models."anthropic/claude-sonnet-4-5".strategy`); the value is parsed as
 * a TOML value and, when that fails, taken as a plain string (as Codex does).
 */
export function overridesToObject(overrides: readonly string[]): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const override of overrides) {
    const equals = override.indexOf("=");
    if (equals <= 0) {
      throw new UsageError(`-c expects key=value, got "${override}"`, {
        hint: 'for example: -c policy.allow_classes=\'["local","hosted"]\'',
      });
    }
    const path = splitKeyPath(override.slice(0, equals).trim(), override);
    // `__proto__.x=1` would otherwise write onto Object.prototype (every object in the process).
    if (path.some((segment) => RESERVED_KEYS.has(segment))) {
      throw new HedgeError("config_invalid", `-c: unknown key ${formatKeyPath(path)}`, {
        exitCode: EXIT.config,
        hint: "fix the value, then check with 'hedge config show' (docs: README, Configuration)",
      });
    }
    setPath(root, path, parseValue(override.slice(equals + 1).trim()));
  }
  return root;
}

function parseValue(text: string): unknown {
  try {
    return parseToml(`value = ${text}`)["value"];
  } catch {
    return text;
  }
}

function splitKeyPath(key: string, original: string): string[] {
  const segments: string[] = [];
  let index = 0;
  while (index < key.length) {
    if (key[index] === '"') {
      const end = key.indexOf('"', index + 1);
      if (end < 0) throw badKey(original);
      segments.push(key.slice(index + 1, end));
      index = end + 1;
    } else {
      const dot = key.indexOf(".", index);
      const end = dot < 0 ? key.length : dot;
      segments.push(key.slice(index, end).trim());
      index = end;
    }
    if (index < key.length) {
      if (key[index] !== ".") throw badKey(original);
      index += 1;
    }
  }
  if (segments.length === 0 || segments.some((segment) => segment === "")) throw badKey(original);
  return segments;
}

function badKey(original: string): UsageError {
  return new UsageError(`-c has a malformed key path in "${original}"`, {
    hint: 'use dotted keys, quoting segments with dots or slashes: routing.models."a/b".strategy',
  });
}

function setPath(root: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = root;
  for (const segment of path.slice(0, -1)) {
    // Own properties only: an inherited member (`toString`) is not a table to descend into.
    const next = Object.hasOwn(node, segment) ? node[segment] : undefined;
    if (typeof next === "object" && next !== null && !Array.isArray(next)) {
      node = next as Record<string, unknown>;
    } else {
      const created: Record<string, unknown> = {};
      node[segment] = created;
      node = created;
    }
  }
  node[path[path.length - 1] as string] = value;
}
