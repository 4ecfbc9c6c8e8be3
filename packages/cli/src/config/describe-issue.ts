import { closest, distance } from "fastest-levenshtein";
import { formatKeyPath, maskUrlCredentials } from "@hedge/auth";
import type { z } from "zod";

type Issue = z.core.$ZodIssue;
type PathKey = PropertyKey;

/** One line naming the key path and what was expected (and what was there). */
export function describeIssue(issue: Issue, input: unknown, schema: z.ZodType): string {
  if (issue.code === "unrecognized_keys") {
    const known = keysAt(schema, issue.path);
    return issue.keys
      .map((key) => {
        const where = formatKeyPath([...issue.path, key]);
        const suggestion = suggest(key, known);
        return `unknown key ${where}${suggestion ? ` (did you mean ${suggestion}?)` : ""}`;
      })
      .join("; ");
  }
  const where = formatKeyPath(issue.path);
  const got = valueAt(input, issue.path);
  const shown = got.found ? `, got ${preview(got.value)}` : "";
  switch (issue.code) {
    case "invalid_type":
      return got.found
        ? `${where}: expected ${issue.expected}${shown}`
        : `${where}: required ${issue.expected} is missing`;
    case "invalid_value":
      return `${where}: expected one of ${issue.values.map((value) => JSON.stringify(value)).join(", ")}${shown}`;
    default:
      return `${where}: ${lowerFirst(issue.message)}${shown}`;
  }
}

function suggest(word: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0) return undefined;
  const best = closest(word, [...candidates]);
  return distance(word, best) <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

// A bad value is shown back, but never a URL's password (a `redis://:secret@…` store, a base_url).
function preview(value: unknown): string {
  const text = maskUrlCredentials(JSON.stringify(value) ?? String(value));
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function valueAt(input: unknown, path: readonly PathKey[]): { found: boolean; value?: unknown } {
  let node: unknown = input;
  for (const segment of path) {
    if (typeof node !== "object" || node === null) return { found: false };
    const record = node as Record<PropertyKey, unknown>;
    if (!(segment in record)) return { found: false };
    node = record[segment];
  }
  return { found: true, value: node };
}

/** The keys a (possibly wrapped) object schema accepts at `path`, for suggestions. */
function keysAt(schema: z.ZodType, path: readonly PathKey[]): string[] {
  let node: z.core.$ZodType | undefined = schema;
  for (const segment of [...path, undefined]) {
    node = unwrap(node);
    if (!node) return [];
    const def = node._zod.def as unknown as Record<string, unknown>;
    if (segment === undefined) {
      const shape = def["shape"];
      return typeof shape === "object" && shape !== null ? Object.keys(shape) : [];
    }
    if (def["type"] === "object") {
      node = (def["shape"] as Record<string, z.core.$ZodType>)[String(segment)];
    } else if (def["type"] === "record") {
      node = def["valueType"] as z.core.$ZodType;
    } else if (def["type"] === "array") {
      node = def["element"] as z.core.$ZodType;
    } else return [];
  }
  return [];
}

function unwrap(node: z.core.$ZodType | undefined): z.core.$ZodType | undefined {
  let current = node;
  for (let depth = 0; current && depth < 10; depth += 1) {
    const def = current._zod.def as unknown as Record<string, unknown>;
    const inner = def["innerType"] as z.core.$ZodType | undefined;
    if (!inner) return current;
    current = inner;
  }
  return current;
}
