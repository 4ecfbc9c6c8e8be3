import type { Store } from "../store/store.js";
import { mergeSnapshot, SNAPSHOT_KEEP_MS, type UsageSnapshot } from "./snapshot.js";

/**
 * Coalesces a process's usage snapshot updates before they reach the Store. Every response of a
 * provider carries rate-limit headers; writing each one is a Store transaction (SQLite) or round
 * trip (Redis) per request, which cost most of the gateway's throughput. Far from the switch
 * threshold nobody decides anything on the exact numbers, so updates of one key are merged in
 * memory and written at most once per `flushMs`; an `urgent` update (near or across the
 * threshold, see `UsageMonitor`) is written at once with whatever was pending, so the switch rule
 * of every process acts on the newest numbers where it matters.
 */
export class SnapshotWriter {
  /** Updates not yet in the Store, by snapshot key, merged in arrival order. */
  private readonly pending = new Map<string, UsageSnapshot>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly writes = new Set<Promise<unknown>>();

  constructor(
    private readonly store: Store,
    private readonly options: {
      flushMs: number;
      now: () => number;
      /** Told what the Store holds after a write (with anything pending since laid over it). */
      stored: (key: string, value: UsageSnapshot | undefined) => void;
      onError: (error: unknown) => void;
    },
  ) {}

  /**
   * Queues `update` for `key`. Urgent, or with `flushMs` 0: written now (the promise resolves to
   * what the Store holds). Otherwise undefined: the write happens within `flushMs`.
   */
  write(
    key: string,
    update: UsageSnapshot,
    urgent: boolean,
  ): Promise<UsageSnapshot | undefined> | undefined {
    const now = this.options.now();
    const previous = this.pending.get(key);
    this.pending.set(key, previous ? mergeSnapshot(previous, update, now) : update);
    if (urgent || this.options.flushMs <= 0) return this.flushKey(key);
    if (!this.timers.has(key)) {
      const timer = setTimeout(() => {
        void this.flushKey(key)?.catch(this.options.onError);
      }, this.options.flushMs);
      timer.unref();
      this.timers.set(key, timer);
    }
    return undefined;
  }

  /** `value` (as read from the Store) with this process's unwritten updates laid over it. */
  overlay(key: string, value: UsageSnapshot | undefined): UsageSnapshot | undefined {
    const pending = this.pending.get(key);
    if (!pending) return value;
    return layer(value, pending, this.options.now());
  }

  /** Whether `key` has updates not yet in the Store. */
  has(key: string): boolean {
    return this.pending.has(key);
  }

  /** Writes what is pending for `key` now (nothing to write: undefined). */
  flushNow(key: string): Promise<UsageSnapshot | undefined> | undefined {
    return this.flushKey(key);
  }

  private flushKey(key: string): Promise<UsageSnapshot | undefined> | undefined {
    const timer = this.timers.get(key);
    if (timer) clearTimeout(timer);
    this.timers.delete(key);
    const pending = this.pending.get(key);
    if (!pending) return undefined;
    this.pending.delete(key);
    const now = this.options.now();
    const writing = this.store
      .update<UsageSnapshot>(key, (stored) => layer(stored, pending, now), SNAPSHOT_KEEP_MS)
      .then(
        (stored) => {
          this.options.stored(key, this.overlay(key, stored));
          return stored;
        },
        (error: unknown) => {
          // Not lost: back in the queue under anything newer, for the next write of the key.
          const newer = this.pending.get(key);
          this.pending.set(key, newer ? mergeSnapshot(pending, newer, now) : pending);
          throw error;
        },
      );
    this.writes.add(writing);
    void writing.then(
      () => this.writes.delete(writing),
      () => this.writes.delete(writing),
    );
    return writing;
  }

  /** Writes everything pending now (shutdown, tests); a failed write is reported, not thrown. */
  async flush(): Promise<void> {
    const keys = [...this.pending.keys()];
    const writing: Promise<unknown>[] = [];
    for (const key of keys) {
      const write = this.flushKey(key);
      if (write) writing.push(write.catch(this.options.onError));
    }
    await Promise.all(writing);
    await Promise.all([...this.writes].map((write) => write.catch(() => undefined)));
  }
}

/**
 * Lays a process's coalesced update over what the Store holds. The newer snapshot wins: another
 * process may have written since this update was queued (up to `flushMs` ago), and near the
 * threshold its numbers are the ones that count.
 */
function layer(
  stored: UsageSnapshot | undefined,
  update: UsageSnapshot,
  now: number,
): UsageSnapshot {
  if (stored && stored.updatedAt > update.updatedAt) return mergeSnapshot(update, stored, now);
  return mergeSnapshot(stored, update, now);
}
