import { randomBytes } from "node:crypto";

const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

function base32(bytes: Buffer, length: number): string {
  let out = "";
  for (let index = 0; index < length; index += 1) out += BASE32[(bytes[index] ?? 0) % 32];
  return out;
}

/** `lp_` + 10 random base32 characters: never reused, safe in a path. */
export function newLoopId(): string {
  return `lp_${base32(randomBytes(10), 10)}`;
}

/** `run_` + a time-ordered part + randomness: sorts by creation, safe in a path. */
export function newRunId(now = Date.now()): string {
  return `run_${now.toString(36).padStart(9, "0")}${base32(randomBytes(6), 6)}`;
}

/** `dm_` + random: one per daemon start. */
export function newDaemonId(): string {
  return `dm_${base32(randomBytes(10), 10)}`;
}

/** The only shapes a run id can take; anything else (a path, `..`) is refused before use. */
export const RUN_ID_PATTERN = /^run_[0-9a-z]{9,}$/;
