/**
 * A small declarative validator for scripts.
 *
 * Why not zod: testkit does not depend on zod yet (pnpm keeps it out of reach). The combinators
 * mirror zod's so the schema in script.ts can move to zod by renaming calls once it does.
 */

/** Thrown for a script that does not match the schema; the message names the path. */
export class ScriptValidationError extends Error {
  override readonly name = "ScriptValidationError";
}

/** Validates `value` found at `path`, returning it typed or throwing `ScriptValidationError`. */
export type Check<T> = ((value: unknown, path: string) => T) & { readonly optional?: true };

function fail(path: string, expected: string, value: unknown): never {
  const got = value === null ? "null" : Array.isArray(value) ? "an array" : typeof value;
  throw new ScriptValidationError(`${path}: expected ${expected}, got ${got}`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function string(): Check<string> {
  return (value, path) => (typeof value === "string" ? value : fail(path, "a string", value));
}

export function boolean(): Check<boolean> {
  return (value, path) => (typeof value === "boolean" ? value : fail(path, "a boolean", value));
}

export function integer(bounds: { min?: number; max?: number } = {}): Check<number> {
  const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = bounds;
  return (value, path) =>
    typeof value === "number" && Number.isInteger(value) && value >= min && value <= max
      ? value
      : fail(path, `an integer from ${min} to ${max}`, value);
}

export function literal<T extends string>(expected: T): Check<T> {
  return (value, path) =>
    value === expected ? expected : fail(path, JSON.stringify(expected), value);
}

/** Any JSON value (the caller's type decides what it means). */
export function unknownJson<T>(): Check<T> {
  return (value, path) => {
    if (value === undefined || typeof value === "function" || typeof value === "symbol") {
      return fail(path, "a JSON value", value);
    }
    return value as T;
  };
}

export function optional<T>(check: Check<T>): Check<T | undefined> {
  const wrapped = (value: unknown, path: string): T | undefined =>
    value === undefined ? undefined : check(value, path);
  return Object.assign(wrapped, { optional: true as const });
}

export function arrayOf<T>(item: Check<T>): Check<T[]> {
  return (value, path) =>
    Array.isArray(value)
      ? value.map((element, index) => item(element, `${path}[${index}]`))
      : fail(path, "an array", value);
}

export function record<T>(item: Check<T>): Check<Record<string, T>> {
  return (value, path) => {
    if (!isPlainObject(value)) return fail(path, "an object", value);
    const result: Record<string, T> = {};
    for (const [key, element] of Object.entries(value))
      result[key] = item(element, `${path}.${key}`);
    return result;
  };
}

export function union<T>(options: readonly Check<T>[]): Check<T> {
  return (value, path) => {
    const problems: string[] = [];
    for (const option of options) {
      try {
        return option(value, path);
      } catch (error) {
        if (!(error instanceof ScriptValidationError)) throw error;
        problems.push(error.message.slice(path.length + 2));
      }
    }
    throw new ScriptValidationError(`${path}: ${problems.join(" or ")}`);
  };
}

/** A strict object: every key must be in the shape, so a misspelt field is reported, not ignored. */
export function object<T>(shape: { [K in keyof T]-?: Check<unknown> }): Check<T> {
  const entries = Object.entries<Check<unknown>>(shape);
  const known = new Set(entries.map(([key]) => key));
  return (value, path) => {
    if (!isPlainObject(value)) return fail(path, "an object", value);
    for (const key of Object.keys(value)) {
      if (!known.has(key)) throw new ScriptValidationError(`${path}.${key}: unknown field`);
    }
    const result: Record<string, unknown> = {};
    for (const [key, check] of entries) {
      if (value[key] === undefined && !check.optional) {
        throw new ScriptValidationError(`${path}.${key}: required`);
      }
      const parsed = check(value[key], `${path}.${key}`);
      if (parsed !== undefined) result[key] = parsed;
    }
    return result as T;
  };
}
