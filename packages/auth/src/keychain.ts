import { AsyncEntry } from "@napi-rs/keyring";

/** The service name under which hedge keeps its secrets in the OS keychain. */
export const KEYCHAIN_SERVICE = "hedge";

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
  const entry = new AsyncEntry(KEYCHAIN_SERVICE, "__hedge_probe__");
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    await entry.getPassword(controller.signal);
    return { reachable: true, detail: "Secret Service answered" };
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
