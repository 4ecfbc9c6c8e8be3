import type { Ledger } from "../ledger/ledger.js";
import type { Loop, Run } from "../ledger/types.js";
import { nextSlotAfter, slotsAfter } from "../schedule/slots.js";
import { decideSlots } from "./tick-policy.js";

/** Slots enumerated per loop per tick: a long downtime is worked off over several ticks. */
export const SLOT_BATCH = 1000;

export interface SchedulerDeps {
  ledger: Ledger;
  /** Starts a claimed run. */
  start: (run: Run, loop: Loop) => void;
  claim: (run: Run) => Promise<boolean>;
  /** Runs this daemon (or, for a shared ledger, anyone) has running. */
  maxConcurrentRuns: number;
  graceMs: number;
  log: (line: string) => void;
}

/**
 * The tick: turns due slots into rows (policy decided, cursor moved in the same transaction),
 * then dispatches queued rows (overlap, the global cap, jitter).
 */
export class Scheduler {
  /** Active loops as of the last tick: dispatch runs after every run end and must stay cheap. */
  private loops = new Map<string, Loop>();

  constructor(private readonly deps: SchedulerDeps) {}

  /** Materialises every active loop's due slots; returns when the next slot falls. */
  async tick(now: number): Promise<number | null> {
    let next: number | null = null;
    const active = await this.deps.ledger.activeLoops();
    this.loops = new Map(active.map((loop) => [loop.id, loop]));
    for (const loop of active) {
      if (loop.expiresAtMs !== null && loop.expiresAtMs <= now) {
        await this.deps.ledger.setState(loop.id, "paused", now);
        this.deps.log(`loop ${loop.name} expired and is paused`);
        continue;
      }
      await this.materialise(loop, now);
      const upcoming = nextSlotAfter(loop.schedule, now);
      if (upcoming !== null)
        next = next === null ? upcoming : Math.min(next, upcoming + loop.jitterMs);
    }
    return next;
  }

  private async materialise(loop: Loop, now: number): Promise<void> {
    let cursor = loop.cursorMs;
    // A long downtime is many batches; each is its own transaction and cursor step.
    for (let batch = 0; batch < 100; batch += 1) {
      const window = slotsAfter(loop.schedule, cursor, now, SLOT_BATCH);
      if (window.slots.length === 0) return;
      const rows = decideSlots({
        slots: window.slots,
        truncated: window.truncated,
        now,
        graceMs: this.deps.graceMs,
        missed: loop.missed,
        missedMaxAgeMs: loop.missedMaxAgeMs,
      });
      const to = window.slots[window.slots.length - 1]!;
      if (!(await this.deps.ledger.materialise(loop.id, cursor, to, rows, now))) return;
      cursor = to;
      if (!window.truncated) return;
    }
  }

  /** Starts what may start now; skips what the overlap policy refuses. */
  async dispatch(now: number): Promise<void> {
    const { ledger } = this.deps;
    const runningNow = await ledger.runningRuns();
    const busy = new Set(runningNow.map((run) => run.loopId));
    let running = runningNow.length;
    const waiting = new Set<string>();
    for (const run of await ledger.queuedRuns()) {
      // A paused loop's manual or hook run still runs; a removed loop's runs do not.
      const loop = this.loops.get(run.loopId) ?? (await ledger.findLoop(run.loopId));
      if (!loop || loop.state === "removed") {
        await ledger.skipQueued(run.id, "removed", now);
        continue;
      }
      if (now < run.scheduledFor + loop.jitterMs) continue;
      if (busy.has(loop.id)) {
        // Catch-ups of `--missed all` wait their turn; so does one run under `--overlap queue`.
        const mayWait = run.trigger === "catchup" && loop.missed === "all";
        if (mayWait || (loop.overlap === "queue" && !waiting.has(loop.id))) {
          waiting.add(loop.id);
          continue;
        }
        await ledger.skipQueued(run.id, "overlap", now);
        continue;
      }
      if (running >= this.deps.maxConcurrentRuns) continue;
      if (!(await this.deps.claim(run))) continue;
      busy.add(loop.id);
      running += 1;
      this.deps.start({ ...run, status: "running", startedAtMs: now }, loop);
    }
  }
}
