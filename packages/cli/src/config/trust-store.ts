import { createHash } from "node:crypto";
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { dirname, join } from "node:path";
import { stringify as stringifyToml } from "smol-toml";
import { z } from "zod";
import { HedgeError } from "@hedge/model-spec";
import { readTomlFile, withFileLock, writeFileAtomic } from "@hedge/auth";
import { EXIT } from "../exit-codes.js";

/** One trusted project: its overlay applies whole while the file's digest is this one. */
const trustedProjectSchema = z.strictObject({
  /** SHA-256 (hex) of the project's `.hedge/config.toml` when it was trusted. */
  config_sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** When `hedge trust` recorded it (ISO 8601). */
  trusted_at: z.string(),
});
export type TrustedProject = z.infer<typeof trustedProjectSchema>;

/** `$HEDGE_HOME/trusted-projects.toml`: trusted projects by real directory path. No secrets. */
const trustFileSchema = z.strictObject({
  projects: z.record(z.string(), trustedProjectSchema).default({}),
});
export type TrustFile = z.infer<typeof trustFileSchema>;

/**
 * How far a project's overlay is trusted: `trusted` (recorded, same content), `changed` (recorded,
 * but the file changed since: untrusted until trusted again) or `untrusted` (never recorded).
 */
export type TrustState = "trusted" | "changed" | "untrusted";

const HEADER =
  "# Projects whose .hedge/config.toml applies whole, while it is unchanged.\n" +
  "# Edit with 'hedge trust [DIR]' and 'hedge untrust [DIR]'.\n";

export function trustFilePath(home: string): string {
  return join(home, "trusted-projects.toml");
}

/** The project directory an overlay belongs to (the one holding `.hedge/`), symlinks resolved. */
export function projectDirOf(overlayFile: string): string {
  const dir = dirname(dirname(overlayFile));
  return existsSync(dir) ? realpathSync(dir) : dir;
}

/** The digest recorded for an overlay's bytes. */
export function overlayDigest(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Reads and validates the trust file; a missing file trusts nothing. */
export function readTrustFile(home: string): TrustFile {
  const file = trustFilePath(home);
  const data = readTomlFile(file, {
    unreadable: (message) => trustFileError(message, "check the file's permissions"),
    invalid: (message) => trustFileError(message),
  });
  const result = trustFileSchema.safeParse(data ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue?.path.length ? issue.path.map(String).join(".") : "(top level)";
  throw trustFileError(`${file}: ${where}: ${issue?.message ?? "invalid"}`);
}

/** Whether the overlay of `projectDir`, whose bytes digest to `digest`, is trusted. */
export function trustStateOf(trust: TrustFile, projectDir: string, digest: string): TrustState {
  const record = trust.projects[projectDir];
  if (!record) return "untrusted";
  return record.config_sha256 === digest ? "trusted" : "changed";
}

/**
 * Read-modify-write of the trust file under its lock; written atomically (a failed write leaves
 * the old file), nothing written when `change` throws.
 */
export async function updateTrustFile<T>(
  home: string,
  change: (trust: TrustFile) => T,
): Promise<T> {
  const file = trustFilePath(home);
  return withFileLock(`${file}.lock`, () => {
    const trust = readTrustFile(home);
    const result = change(trust);
    writeFileAtomic(file, HEADER + stringifyToml({ projects: trust.projects }));
    return result;
  });
}

/** The overlay file's digest now, or undefined when it is gone. */
export function currentDigest(overlayFile: string): string | undefined {
  return existsSync(overlayFile) ? overlayDigest(readFileSync(overlayFile)) : undefined;
}

function trustFileError(message: string, hint?: string): HedgeError {
  return new HedgeError("config_invalid", message, {
    exitCode: EXIT.config,
    hint:
      hint ??
      "fix that line, or delete the file and run 'hedge trust' again in each project you trust",
  });
}
