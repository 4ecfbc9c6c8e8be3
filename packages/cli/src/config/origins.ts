import { formatKeyPath } from "@hedge/auth";
import type { ConfigLayer } from "./load.js";
import { isPlainObject } from "./merge.js";
import { valueAt } from "./screen-overlay.js";

/** Where a resolved value came from: a built-in default, the user's file, the project, or `-c`. */
export type ValueSource = "default" | "user" | "project" | "-c";

/** One resolved value (a leaf: a scalar, an array or an empty table) and its source. */
export interface SourcedValue {
  key: string;
  value: unknown;
  source: ValueSource;
}

const SOURCE_OF_KIND: Record<ConfigLayer["kind"], ValueSource> = {
  user: "user",
  project: "project",
  override: "-c",
};

/**
 * Every leaf of the resolved `config` with the last layer that set it (layers hold what applied,
 * so a key an untrusted project could not set is not the project's).
 */
export function sourcedValues(
  config: Record<string, unknown>,
  layers: readonly ConfigLayer[],
): SourcedValue[] {
  const values: SourcedValue[] = [];
  const visit = (value: unknown, path: string[]): void => {
    if (isPlainObject(value) && Object.keys(value).length > 0) {
      for (const [key, child] of Object.entries(value)) visit(child, [...path, key]);
      return;
    }
    const layer = layers.findLast((candidate) => valueAt(candidate.data, path) !== undefined);
    values.push({
      key: formatKeyPath(path),
      value,
      source: layer ? SOURCE_OF_KIND[layer.kind] : "default",
    });
  };
  visit(config, []);
  return values;
}

/** A value as inline TOML (`["a", "b"]`, `{ match = "x", mode = "executor" }`). */
export function inlineToml(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(inlineToml).join(", ")}]`;
  if (isPlainObject(value)) {
    const entries = Object.entries(value).map(
      ([key, child]) => `${formatKeyPath([key])} = ${inlineToml(child)}`,
    );
    return entries.length ? `{ ${entries.join(", ")} }` : "{}";
  }
  if (typeof value === "string") return JSON.stringify(value);
  return String(value);
}
