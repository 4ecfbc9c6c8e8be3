/** The service name under which hedge keeps its secrets in the OS keychain. */
export const KEYCHAIN_SERVICE = "hedge";

/**
 * On Linux the binding silently falls back to the kernel keyutils store, which lives in memory
 * and is gone after a reboot. A login that vanishes is worse than a clear error, so hedge pins
 * the Secret Service (gnome-keyring, KWallet, KeePassXC).
 */
export const KEYCHAIN_OPTIONS = { linux: { store: "secret-service" } } as const;

export interface KeychainProbe {
  reachable: boolean;
  /** Why not, in one line, when unreachable. */
  detail: string;
}

/**
 * Checks whether the OS keychain answers, without storing anything: a lookup of an entry that
 * does not exist succeeds (with null) on a working keychain and throws when there is none.
 */
export async function probeKeychain(timeoutMs = 3000): Promise<KeychainProbe> {
  // Loaded on demand: a native addon has no place on the startup path of unrelated commands.
  const { AsyncEntry } = await import("@napi-rs/keyring");
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const entry = new AsyncEntry(KEYCHAIN_SERVICE, "__hedge_probe__", KEYCHAIN_OPTIONS);
    await entry.getPassword(controller.signal);
    return {
      reachable: true,
      detail: process.platform === "linux" ? "Secret Service" : process.platform,
    };
  } catch (error) {
    if (controller.signal.aborted) {
      return { reachable: false, detail: `no answer within ${timeoutMs} ms (keychain locked?)` };
    }
    return { reachable: false, detail: firstLine(error) };
  } finally {
    clearTimeout(timer);
  }
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split("\n")[0] ?? text;
}
