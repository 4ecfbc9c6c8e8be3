import { z } from "zod";

/** `[a-z0-9][a-z0-9._-]*`, up to 64 characters: safe as a file name and a keychain account. */
export const PROFILE_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export const profileNameSchema = z
  .string()
  .regex(PROFILE_NAME_PATTERN, "expected [a-z0-9][a-z0-9._-]*, up to 64 characters");

/**
 * `api-key`: a provider key. `cli-login`: an isolated home of a vendor CLI holding its own
 * subscription login. `gateway`: URL and key of a remote gateway.
 */
export const profileKindSchema = z.enum(["api-key", "cli-login", "gateway"]);
export type ProfileKind = z.infer<typeof profileKindSchema>;

/** Where a profile's secret lives; `none` for cli-login profiles (the vendor CLI keeps it). */
export const secretLocationSchema = z.enum(["keyring", "file", "none"]);
export type SecretLocation = z.infer<typeof secretLocationSchema>;

/** One `[profiles.NAME]` table of profiles.toml. Metadata only, never a secret. */
export const profileRecordSchema = z.strictObject({
  provider: z.string().min(1),
  kind: profileKindSchema,
  store: secretLocationSchema,
  region: z.string().min(1).optional(),
  labels: z.array(z.string().min(1)).default([]),
  /** cli-login: the vendor CLI's home (`CODEX_HOME`, `CLAUDE_CONFIG_DIR`). */
  home: z.string().min(1).optional(),
  /** gateway: the remote gateway's base URL. */
  url: z.string().min(1).optional(),
  created_at: z.string().min(1),
  last_used_at: z.string().min(1).optional(),
});
export type ProfileRecord = z.infer<typeof profileRecordSchema>;

/** The whole of profiles.toml. `active` maps a provider to the active profile of its pool. */
export const profilesFileSchema = z.strictObject({
  version: z.literal(1).default(1),
  active: z.record(z.string(), profileNameSchema).default({}),
  profiles: z.record(profileNameSchema, profileRecordSchema).default({}),
});
export type ProfilesFile = z.infer<typeof profilesFileSchema>;

/** A profile with its name and whether it is the active one of its pool. */
export interface Profile extends ProfileRecord {
  name: string;
  active: boolean;
}
