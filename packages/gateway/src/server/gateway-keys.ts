import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { HedgeError } from "@hedge/model-spec";
import { writeFileAtomic } from "@hedge/auth";

const KEY_PREFIX = "hk-";

/**
 * What a key may do: call models, read the dashboard, reset routes from it. A key without
 * `scopes` (every key made before scopes existed) may do everything.
 */
export const KEY_SCOPES = ["models", "dashboard:read", "dashboard:admin"] as const;
export type KeyScope = (typeof KEY_SCOPES)[number];

export const keyRecordSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** sha256 of the whole key, hex. The key itself is shown once at creation and never stored. */
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  /** The first characters of the key, so a person can tell keys apart. */
  prefix: z.string(),
  created_at: z.string(),
  scopes: z.array(z.enum(KEY_SCOPES)).optional(),
});
const keyFileSchema = z.object({ version: z.literal(1), keys: z.array(keyRecordSchema) });

export type GatewayKeyRecord = z.infer<typeof keyRecordSchema>;

/**
 * Gateway keys in `$HEDGE_HOME/gateway-keys.json` (mode 0600), hashed. Verification compares
 * hashes in constant time. The server re-reads the file when it changes (checked at most once a
 * second), so `key create` and `key revoke` apply to a running server.
 */
export class GatewayKeyStore {
  readonly path: string;
  private keys: GatewayKeyRecord[] = [];
  private loadedMtimeMs = -1;
  private checkedAt = 0;

  constructor(home: string) {
    this.path = join(home, "gateway-keys.json");
    this.reload();
  }

  private shared:
    { records(): readonly GatewayKeyRecord[]; revoked(): ReadonlySet<string> } | undefined;

  /**
   * Also accepts the keys of a shared ring (replicas on a Redis store: a key created on any
   * machine of the fleet is accepted by all). File keys and shared keys are one list, less the
   * keys revoked anywhere in the fleet.
   */
  share(ring: { records(): readonly GatewayKeyRecord[]; revoked(): ReadonlySet<string> }): void {
    this.shared = ring;
  }

  list(): readonly GatewayKeyRecord[] {
    this.refresh();
    if (!this.shared) return this.keys;
    const shared = this.shared.records();
    const revoked = this.shared.revoked();
    const own = revoked.size ? this.keys.filter((key) => !revoked.has(key.id)) : this.keys;
    if (!shared.length) return own;
    const ids = new Set(this.keys.map((key) => key.id));
    return [...own, ...shared.filter((key) => !ids.has(key.id) && !revoked.has(key.id))];
  }

  count(): number {
    return this.list().length;
  }

  /** Creates a key (limited to `scopes` when given); returns the only copy of the plain key. */
  create(name: string, scopes?: readonly KeyScope[]): { key: string; record: GatewayKeyRecord } {
    this.reload();
    const key = `${KEY_PREFIX}${randomBytes(24).toString("base64url")}`;
    const record: GatewayKeyRecord = {
      id: `gk_${randomBytes(4).toString("hex")}`,
      name,
      hash: sha256(key),
      prefix: key.slice(0, KEY_PREFIX.length + 6),
      created_at: new Date().toISOString(),
      ...(scopes === undefined ? {} : { scopes: [...new Set(scopes)] }),
    };
    this.save([...this.keys, record]);
    return { key, record };
  }

  /** Removes a key by id, name or prefix; returns the removed record. */
  revoke(reference: string): GatewayKeyRecord {
    this.reload();
    const matches = this.keys.filter(
      (key) => key.id === reference || key.name === reference || key.prefix === reference,
    );
    if (matches.length !== 1) {
      throw new HedgeError(
        matches.length === 0 ? "key_not_found" : "key_ambiguous",
        matches.length === 0
          ? `no gateway key "${reference}"`
          : `"${reference}" matches ${matches.length} keys`,
        { hint: "run 'hedge gateway key list' and revoke by id" },
      );
    }
    const [removed] = matches as [GatewayKeyRecord];
    this.save(this.keys.filter((key) => key !== removed));
    return removed;
  }

  /** The matching key record, or undefined. Every stored hash is compared: constant time. */
  verify(presented: string | undefined): GatewayKeyRecord | undefined {
    if (!presented) return undefined;
    const digest = createHash("sha256").update(presented).digest();
    let match: GatewayKeyRecord | undefined;
    for (const key of this.list()) {
      if (timingSafeEqual(digest, hashBytes(key))) match = key;
    }
    return match;
  }

  private refresh(): void {
    const now = Date.now();
    if (now - this.checkedAt < 1000) return;
    this.checkedAt = now;
    this.reload();
  }

  private reload(): void {
    let mtimeMs: number;
    try {
      mtimeMs = statSync(this.path).mtimeMs;
    } catch {
      this.keys = [];
      this.loadedMtimeMs = -1;
      return;
    }
    if (mtimeMs === this.loadedMtimeMs) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(this.path, "utf8"));
    } catch {
      throw corrupt(this.path);
    }
    const result = keyFileSchema.safeParse(parsed);
    if (!result.success) throw corrupt(this.path);
    this.keys = result.data.keys;
    this.loadedMtimeMs = mtimeMs;
  }

  private save(keys: GatewayKeyRecord[]): void {
    writeFileAtomic(this.path, `${JSON.stringify({ version: 1, keys }, null, 2)}\n`, 0o600);
    this.keys = keys;
    this.loadedMtimeMs = statSync(this.path).mtimeMs;
  }
}

/** Whether `key` may do `scope` (`dashboard:admin` includes `dashboard:read`). */
export function keyAllows(key: GatewayKeyRecord, scope: KeyScope): boolean {
  if (key.scopes === undefined) return true;
  return (
    key.scopes.includes(scope) ||
    (scope === "dashboard:read" && key.scopes.includes("dashboard:admin"))
  );
}

/**
 * A record's stored hash as bytes, decoded once per record rather than once per key per request
 * (records are replaced on reload, never changed in place).
 */
function hashBytes(key: GatewayKeyRecord): Buffer {
  let bytes = decodedHashes.get(key);
  if (bytes === undefined) {
    bytes = Buffer.from(key.hash, "hex");
    decodedHashes.set(key, bytes);
  }
  return bytes;
}

const decodedHashes = new WeakMap<GatewayKeyRecord, Buffer>();

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

function corrupt(path: string): HedgeError {
  return new HedgeError("keys_corrupt", `${path} is not a valid gateway key file`, {
    hint: "restore it from a backup, or move it away and create new keys with 'hedge gateway key create'",
  });
}
