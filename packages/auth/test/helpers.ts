import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";

/** A temp HEDGE_HOME removed by the returned cleanup. */
export function tempHome(): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), "hedge-auth-"));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

/**
 * Keychain entries are shared by every HEDGE_HOME on the machine (service "hedge", account =
 * profile name), so tests that touch the real keychain use names no other test uses.
 */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString("hex")}`;
}
