import { z } from "zod";
import type { Store } from "../store/store.js";
import { keyRecordSchema, type GatewayKeyRecord } from "./gateway-keys.js";

/** The Store key holding the fleet's gateway key records (hashes only, never a key). */
export const SHARED_KEYS = "gateway:keys";
/**
 * Ids of keys revoked anywhere in the fleet: a replica refuses them even when its own
 * `gateway-keys.json` still lists them (the machine that created a key may not be the one that
 * revokes it).
 */
export const REVOKED_KEYS = "gateway:keys:revoked";
const recordsSchema = z.array(keyRecordSchema);
const idsSchema = z.array(z.string());

/** Ids revoked fleet-wide. */
export async function revokedKeyIds(store: Store): Promise<string[]> {
  const parsed = idsSchema.safeParse((await store.get<unknown>(REVOKED_KEYS)) ?? []);
  return parsed.success ? parsed.data : [];
}

/** The key records in the Store (none when absent; malformed entries are left out). */
export async function sharedKeyRecords(store: Store): Promise<GatewayKeyRecord[]> {
  const parsed = recordsSchema.safeParse((await store.get<unknown>(SHARED_KEYS)) ?? []);
  return parsed.success ? parsed.data : [];
}

/** Adds a key record to the fleet's list in the Store. */
export async function publishKey(store: Store, record: GatewayKeyRecord): Promise<void> {
  await store.update<unknown>(SHARED_KEYS, (current) => {
    const parsed = recordsSchema.safeParse(current ?? []);
    const records = parsed.success ? parsed.data : [];
    return [...records.filter((entry) => entry.id !== record.id), record];
  });
}

/**
 * Removes a key record (by id) from the fleet's list and records the id as revoked, so replicas
 * whose key file still has it refuse it too; returns whether the list had it.
 */
export async function unpublishKey(store: Store, id: string): Promise<boolean> {
  await store.update<unknown>(REVOKED_KEYS, (current) => {
    const parsed = idsSchema.safeParse(current ?? []);
    const ids = parsed.success ? parsed.data : [];
    return ids.includes(id) ? ids : [...ids, id];
  });
  let found = false;
  await store.update<unknown>(SHARED_KEYS, (current) => {
    const parsed = recordsSchema.safeParse(current ?? []);
    const records = parsed.success ? parsed.data : [];
    found = records.some((entry) => entry.id === id);
    return records.filter((entry) => entry.id !== id);
  });
  return found;
}

/**
 * The fleet's gateway keys as a running server sees them: read from the Store at start and
 * every `refreshMs` after, so a key created or revoked on any replica applies to all within
 * that time. A read that fails keeps the last copy loaded: an unreachable Store never opens
 * the gateway (no keys would mean keyless) nor locks its callers out.
 */
export class SharedKeyRing {
  private current: readonly GatewayKeyRecord[] = [];
  private revokedIds: ReadonlySet<string> = new Set();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: Store,
    private readonly options: { refreshMs?: number; log?: (line: string) => void } = {},
  ) {}

  records(): readonly GatewayKeyRecord[] {
    return this.current;
  }

  /** Ids revoked anywhere in the fleet. */
  revoked(): ReadonlySet<string> {
    return this.revokedIds;
  }

  async start(): Promise<void> {
    await this.load();
    this.timer = setInterval(() => void this.load(), this.options.refreshMs ?? 1000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async load(): Promise<void> {
    try {
      const [records, revoked] = await Promise.all([
        sharedKeyRecords(this.store),
        revokedKeyIds(this.store),
      ]);
      this.current = records;
      this.revokedIds = new Set(revoked);
    } catch (error) {
      this.options.log?.(
        `gateway: reading the shared gateway keys failed, keeping the last copy: ${String(error)}`,
      );
    }
  }
}
