import type { AuditEntry, Store } from "../store/store.js";

/**
 * Buffers audit entries and writes them in batches (one transaction or pipeline per flush), so
 * recording every routed request costs the hot path an array push.
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

  /** Writes what is pending; resolves when it (and any flush before it) is stored. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    if (batch.length > 0) {
      this.flushing = this.flushing
        .then(() => this.store.appendAudit(batch))
        .catch((error: unknown) => this.options.onError?.(error));
    }
    return this.flushing;
  }
}
