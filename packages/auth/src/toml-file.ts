import { existsSync, readFileSync } from "node:fs";
import { parse as parseToml, TomlError } from "smol-toml";
import type { HedgeError } from "@hedge/model-spec";
import { formatKeyPath, reservedKeyPath } from "./key-path.js";

/** The errors a caller raises when its TOML file cannot be used (its own code, hint, exit code). */
export interface TomlFileErrors {
  /** The file exists but cannot be read: `cannot read FILE (EACCES)`. */
  unreadable: (message: string) => HedgeError;
  /** The file is not TOML: `FILE:LINE:COLUMN: invalid TOML: what the parser said`. */
  invalid: (message: string) => HedgeError;
}

/**
 * Reads and parses a TOML file; `undefined` when it does not exist. Validating the data is the
 * caller's: each file has its own schema. A key that names an object's prototype (`__proto__`,
 * `constructor`, `prototype`) is refused here, as unknown, before any code merges the data.
 */
export function readTomlFile(
  file: string,
  errors: TomlFileErrors,
): Record<string, unknown> | undefined {
  if (!existsSync(file)) return undefined;
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unknown error";
    throw errors.unreadable(`cannot read ${file} (${code})`);
  }
  return parseTomlText(text, file, errors);
}

/** Parses TOML already read from `file` (named in errors), e.g. when the caller hashes the bytes. */
export function parseTomlText(
  text: string,
  file: string,
  errors: Pick<TomlFileErrors, "invalid">,
): Record<string, unknown> {
  let data: Record<string, unknown>;
  try {
    data = parseToml(text);
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    const first = (error.message.split("\n")[0] ?? "syntax error").replace(
      /^Invalid TOML document: /,
      "",
    );
    throw errors.invalid(`${file}:${error.line}:${error.column}: invalid TOML: ${first}`);
  }
  const reserved = reservedKeyPath(data);
  if (reserved) throw errors.invalid(`${file}: unknown key ${formatKeyPath(reserved)}`);
  return data;
}
