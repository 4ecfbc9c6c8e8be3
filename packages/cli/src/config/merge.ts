/**
 * Deep-merges plain objects; arrays and scalars in `overlay` replace those in `base`. Keys are
 * defined as own data properties, so a key such as `__proto__` in parsed data stays a key (and
 * fails validation as unknown) instead of replacing the merged object's prototype.
 */
export function mergeConfig(
  base: Record<string, unknown>,
  overlay: Record<string, unknown>,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overlay)) {
    const existing = Object.hasOwn(merged, key) ? merged[key] : undefined;
    Object.defineProperty(merged, key, {
      value: isPlainObject(existing) && isPlainObject(value) ? mergeConfig(existing, value) : value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return merged;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date)
  );
}
