import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { stringify as stringifyToml } from "smol-toml";
import { writeFileAtomic } from "./atomic-write.js";
import { HedgeError } from "@hedge/model-spec";
import { withFileLock } from "./lock.js";
import { profilesFileSchema, type ProfileRecord, type ProfilesFile } from "./profile-schema.js";
import { readTomlFile } from "./toml-file.js";

const HEADER =
  '# hedge profiles: metadata only. Secrets live in the OS keychain (service "hedge") or in\n' +
  "# credentials/credentials.json. Edit with 'hedge auth ...'; a copy of the previous version is\n" +
  "# kept in profiles.toml.bak.\n";

export function profilesPath(home: string): string {
  return join(home, "profiles.toml");
}

/** Reads and validates profiles.toml; a missing file is an empty one. */
export function readProfilesFile(home: string): ProfilesFile {
  const file = profilesPath(home);
  const data = readTomlFile(file, {
    unreadable: (message) =>
      new HedgeError("profiles_unreadable", message, { hint: "check the file's permissions" }),
    invalid,
  });
  const result = profilesFileSchema.safeParse(data ?? {});
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.length ? issue.path.map(String).join(".") : "(top level)";
    throw invalid(`${file}: ${where}: ${issue?.message ?? "invalid"}`);
  }
  return result.data;
}

function invalid(message: string): HedgeError {
  return new HedgeError("profiles_invalid", message, {
    exitCode: 3,
    hint: "fix that line (or restore profiles.toml.bak); hedge leaves the file untouched until it parses",
  });
}

/** Writes profiles.toml atomically, first copying the current file to profiles.toml.bak. */
export function writeProfilesFile(home: string, data: ProfilesFile): void {
  const file = profilesPath(home);
  if (existsSync(file)) writeFileAtomic(`${file}.bak`, readFileSync(file, "utf8"));
  writeFileAtomic(file, HEADER + stringifyToml(serializable(data)));
}

/**
 * Read-modify-write of profiles.toml under its lock, so two processes changing profiles at once
 * both land. `change` mutates the file in place; nothing is written when it throws (or when the
 * file does not parse: reading throws first).
 */
export async function updateProfiles<T>(
  home: string,
  change: (data: ProfilesFile) => Promise<T> | T,
): Promise<T> {
  return withFileLock(`${profilesPath(home)}.lock`, async () => {
    const data = readProfilesFile(home);
    const result = await change(data);
    writeProfilesFile(home, data);
    return result;
  });
}

function serializable(data: ProfilesFile): Record<string, unknown> {
  const profiles: Record<string, Record<string, unknown>> = {};
  for (const [name, record] of Object.entries(data.profiles)) profiles[name] = clean(record);
  return { version: data.version, active: data.active, profiles };
}

function clean(record: ProfileRecord): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}
