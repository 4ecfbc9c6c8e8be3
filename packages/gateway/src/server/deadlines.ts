/** One wait: when it ends, and what to do then. */
interface Wait {
  at: number;
  expired: () => void;
}

/**
 * Deadlines of many short waits of the same length (request bodies arriving) kept by one timer,
 * instead of a timer armed and cleared for every request: that pair costs a measurable share of
 * the gateway's throughput (`pnpm bench:gateway`), a Set entry costs next to nothing. A wait
 * expires between its deadline and a quarter of its length (at most a second) later. The timer
 * runs only while something waits.
 */
export class Deadlines {
  private readonly waits = new Set<Wait>();
  private timer: NodeJS.Timeout | undefined;
  private readonly everyMs: number;

  constructor(
    private readonly ms: number,
    private readonly now: () => number = Date.now,
  ) {
    this.everyMs = Math.max(10, Math.min(1000, Math.round(ms / 4)));
  }

  /** Calls `expired` once the wait's length has passed, unless the returned stop came first. */
  start(expired: () => void): () => void {
    const wait: Wait = { at: this.now() + this.ms, expired };
    this.waits.add(wait);
    this.timer ??= setInterval(() => this.sweep(), this.everyMs).unref();
    return () => void this.waits.delete(wait);
  }

  private sweep(): void {
    const now = this.now();
    for (const wait of this.waits) {
      if (wait.at > now) continue;
      this.waits.delete(wait);
      wait.expired();
    }
    if (this.waits.size === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }
}
