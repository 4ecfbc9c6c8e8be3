import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { afterEach } from "vitest";

/**
 * Registers cleanup after each test of the calling file and returns a function that creates a
 * temp HEDGE_HOME, removed after the test that created it.
 */
export function useTempHomes(): () => string {
  const created: string[] = [];
  afterEach(() => {
    for (const path of created.splice(0)) rmSync(path, { recursive: true, force: true });
  });
  return () => {
    const path = mkdtempSync(join(tmpdir(), "hedge-auth-"));
    created.push(path);
    return path;
  };
}

/**
 * Keychain entries are shared by every HEDGE_HOME on the machine (service "hedge", account =
 * profile name), so tests that touch the real keychain use names no other test uses.
 */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString("hex")}`;
}
