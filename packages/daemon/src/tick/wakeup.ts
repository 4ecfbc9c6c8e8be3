/**
 * The main loop's alarm: it sleeps until a deadline or a nudge (a run ended, a socket command).
 * A nudge that arrives while the loop is busy (dispatching, or in its short pause between
 * passes) is remembered and ends the next sleep at once: a lost nudge would leave freed run
 * slots idle until the next tick, which capped a busy daemon at `max_concurrent_runs` per tick.
 */
export class Wakeup {
  private pending = false;
  private wake: (() => void) | null = null;

  /** Wakes the sleeper now, or the next sleep as soon as it begins. */
  nudge(): void {
    this.pending = true;
    this.wake?.();
  }

  /** Resolves after `ms` or at the first nudge since the previous sleep, whichever comes first. */
  sleep(ms: number): Promise<void> {
    if (this.pending || ms <= 0) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wake = null;
        this.pending = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}
