/**
 * Names that reach an object's prototype when used as a property key (`obj["__proto__"] = …`
 * replaces the prototype; `constructor.prototype` leads to `Object.prototype`). No config or
 * profiles key is ever one of them, so they are refused wherever keys come from a user: TOML
 * files and `-c` overrides.
 */
export const RESERVED_KEYS: ReadonlySet<string> = new Set([
  "__proto__",
  "constructor",
  "prototype",
]);

/** `policy.allow_classes[0]`, `routing.models."a/b".strategy`. */
export function formatKeyPath(path: readonly PropertyKey[]): string {
  let text = "";
  for (const segment of path) {
    if (typeof segment === "number") text += `[${segment}]`;
    else {
      const name = String(segment);
      const bare = /^[A-Za-z0-9_-]+$/.test(name) ? name : JSON.stringify(name);
      text += text === "" ? bare : `.${bare}`;
    }
  }
  return text === "" ? "(top level)" : text;
}

/** The path of the first reserved key anywhere in parsed data (tables and arrays), if any. */
export function reservedKeyPath(
  value: unknown,
  path: readonly PropertyKey[] = [],
): PropertyKey[] | undefined {
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = reservedKeyPath(item, [...path, index]);
      if (found) return found;
    }
    return undefined;
  }
  if (typeof value !== "object" || value === null || value instanceof Date) return undefined;
  // Own keys only: TOML tables are null-prototype objects whose `__proto__` is an ordinary key.
  for (const key of Object.keys(value)) {
    if (RESERVED_KEYS.has(key)) return [...path, key];
    const found = reservedKeyPath((value as Record<string, unknown>)[key], [...path, key]);
    if (found) return found;
  }
  return undefined;
}
