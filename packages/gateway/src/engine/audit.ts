import {
  DAY_KEEP_MS,
  mergeRollups,
  MINUTE_KEEP_MS,
  rollupsOf,
  type Rollup,
} from "../stats/rollup.js";
import type { AuditEntry, Store } from "../store/store.js";

/**
 * Buffers audit entries and writes them in batches (one transaction or pipeline per flush), so
 * recording every routed request costs the hot path an array push. Each batch is also added to
 * the per-minute and per-day rollups `hedge stats` reads beyond the raw log's retention.
 */
export class AuditRecorder {
  private pending: AuditEntry[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly options: {
      flushMs?: number;
      maxBatch?: number;
      onError?: (error: unknown) => void;
    } = {},
  ) {}

  add(entry: AuditEntry): void {
    this.pending.push(entry);
    if (this.pending.length >= (this.options.maxBatch ?? 500)) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.options.flushMs ?? 200).unref();
  }

  private async rollUp(batch: readonly AuditEntry[]): Promise<void> {
    for (const [key, added] of rollupsOf(batch)) {
      await this.store.update<Rollup>(
        key,
        (stored) => mergeRollups(stored, structuredClone(added)),
        key.startsWith("stats:m:") ? MINUTE_KEEP_MS : DAY_KEEP_MS,
      );
    }
  }

  /** Writes what is pending; resolves when it (and any flush before it) is stored. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    if (batch.length > 0) {
      this.flushing = this.flushing
        .then(() => this.store.appendAudit(batch))
        .then(() => this.rollUp(batch))
        .catch((error: unknown) => this.options.onError?.(error));
    }
    return this.flushing;
  }
}
