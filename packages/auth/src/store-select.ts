import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { CredentialsStoreMode } from "./config-schema.js";
import { HedgeError } from "@hedge/model-spec";
import { probeKeychain, type KeychainProbe } from "./keychain.js";
import { credentialsFilePath, fileStore, keyringStore, type SecretStore } from "./secret-store.js";

/** Marker remembering that the `auto` fallback warning was shown once. */
const WARNED_MARKER = ".credentials-file-warned";

export interface SelectStoreOptions {
  /** Receives the one-time warning (auto mode falling back to the file). */
  warn: (line: string) => void;
  probe?: () => Promise<KeychainProbe>;
}

/**
 * The store new secrets go to, by `credentials_store`: `keyring` (the OS keychain or a clear
 * error), `file` (never touches the keychain) or `auto` (the keychain when it answers, else the
 * file with a warning shown once per HEDGE_HOME).
 */
export async function selectSecretStore(
  mode: CredentialsStoreMode,
  home: string,
  options: SelectStoreOptions,
): Promise<SecretStore> {
  if (mode === "file") return fileStore(home);
  const probe = await (options.probe ?? probeKeychain)();
  if (probe.reachable) return keyringStore();
  if (mode === "keyring") {
    throw new HedgeError("keychain_unavailable", `OS keychain unreachable: ${probe.detail}`, {
      hint: 'credentials_store = "keyring" needs it: start or unlock gnome-keyring (Secret Service), or set credentials_store = "file"',
    });
  }
  const marker = join(home, WARNED_MARKER);
  if (!existsSync(marker)) {
    options.warn(
      `warning: OS keychain unreachable (${probe.detail}); secrets go to ${credentialsFilePath(home)} ` +
        "(mode 0600), readable by any program running as you and by your backups. " +
        'Unlock a keychain, or set credentials_store = "file" to accept this. (shown once)',
    );
    mkdirSync(home, { recursive: true, mode: 0o700 });
    writeFileSync(marker, `${new Date().toISOString()}\n`, { mode: 0o600 });
  }
  return fileStore(home);
}
