import { chmodSync, existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { z } from "zod";
import { writeFileAtomic } from "./atomic-write.js";
import { HedgeError } from "@hedge/model-spec";
import { KEYCHAIN_OPTIONS, KEYCHAIN_SERVICE } from "./keychain.js";
import { withFileLock } from "./lock.js";

/** Where secrets are kept, keyed by profile name. Errors never carry a secret. */
export interface SecretStore {
  readonly location: "keyring" | "file";
  get(name: string): Promise<string | undefined>;
  set(name: string, secret: string): Promise<void>;
  /** True when a secret was there to delete. */
  delete(name: string): Promise<boolean>;
}

const KEYCHAIN_TIMEOUT_MS = 10_000;

/**
 * The OS keychain: service `hedge`, account = profile name, pinned to the Secret Service on
 * Linux (see KEYCHAIN_OPTIONS).
 */
export function keyringStore(): SecretStore {
  async function entry(name: string) {
    const { AsyncEntry } = await import("@napi-rs/keyring");
    return new AsyncEntry(KEYCHAIN_SERVICE, name, KEYCHAIN_OPTIONS);
  }
  async function call<T>(what: string, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const signal = AbortSignal.timeout(KEYCHAIN_TIMEOUT_MS);
    try {
      return await run(signal);
    } catch (error) {
      const detail = signal.aborted
        ? `no answer within ${KEYCHAIN_TIMEOUT_MS} ms (keychain locked?)`
        : firstLine(error);
      throw new HedgeError("keychain_unavailable", `OS keychain: cannot ${what}: ${detail}`, {
        hint: "unlock or start the keychain (gnome-keyring, KWallet, KeePassXC) and retry",
      });
    }
  }
  return {
    location: "keyring",
    async get(name) {
      const found = await call("read a secret", async (signal) =>
        (await entry(name)).getPassword(signal),
      );
      return found ?? undefined;
    },
    async set(name, secret) {
      await call("store a secret", async (signal) =>
        (await entry(name)).setPassword(secret, signal),
      );
    },
    async delete(name) {
      return call("delete a secret", async (signal) => (await entry(name)).deletePassword(signal));
    },
  };
}

export function credentialsFilePath(home: string): string {
  return join(home, "credentials", "credentials.json");
}

const credentialsFileSchema = z.object({
  version: z.literal(1),
  secrets: z.record(z.string(), z.string()),
});

/**
 * `$HEDGE_HOME/credentials/credentials.json`: mode 0600 in a 0700 directory, written atomically
 * under a lock. Readable by anything running as this user; the keychain is preferred.
 */
export function fileStore(home: string): SecretStore {
  const path = credentialsFilePath(home);
  function read(): Record<string, string> {
    if (!existsSync(path)) return {};
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(path, "utf8"));
    } catch {
      // Never echo the parser's message: it quotes the file, which holds secrets.
      throw new HedgeError("credentials_invalid", `${path} is not valid JSON`, {
        hint: "restore it from a backup, or remove it and log in again (hedge auth login)",
      });
    }
    const parsed = credentialsFileSchema.safeParse(data);
    if (!parsed.success) {
      throw new HedgeError("credentials_invalid", `${path} has an unexpected shape`, {
        hint: "restore it from a backup, or remove it and log in again (hedge auth login)",
      });
    }
    return parsed.data.secrets;
  }
  function write(secrets: Record<string, string>): void {
    ensurePrivateDirectory(dirname(path));
    writeFileAtomic(path, `${JSON.stringify({ version: 1, secrets }, null, 2)}\n`, 0o600);
  }
  async function change<T>(mutate: (secrets: Record<string, string>) => T): Promise<T> {
    return withFileLock(`${path}.lock`, () => {
      const secrets = read();
      const result = mutate(secrets);
      write(secrets);
      return result;
    });
  }
  return {
    location: "file",
    get(name) {
      return Promise.resolve().then(() => read()[name]);
    },
    set(name, secret) {
      return change((secrets) => {
        secrets[name] = secret;
      });
    },
    delete(name) {
      return change((secrets) => {
        const had = Object.hasOwn(secrets, name);
        delete secrets[name];
        return had;
      });
    },
  };
}

/** Creates `directory` with mode 0700, and narrows it to 0700 when it is open to others. */
function ensurePrivateDirectory(directory: string): void {
  mkdirSync(directory, { recursive: true, mode: 0o700 });
  if ((statSync(directory).mode & 0o077) !== 0) chmodSync(directory, 0o700);
}

/** The store a profile's secret was written to. */
export function storeAt(location: "keyring" | "file", home: string): SecretStore {
  return location === "keyring" ? keyringStore() : fileStore(home);
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split("\n")[0] ?? text;
}
