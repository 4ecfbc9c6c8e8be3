import type { Ledger, ListRunsOptions } from "./ledger.js";
import type { SqliteLedger } from "./sqlite-ledger.js";
import type {
  DaemonRow,
  Loop,
  LoopSpec,
  LoopState,
  Run,
  RunEnd,
  RunProcess,
  RunTrigger,
  SlotRow,
} from "./types.js";

/**
 * The SQLite ledger behind the async `Ledger` interface: each call is the same synchronous
 * statement or transaction as before, so its atomicity is unchanged.
 */
export class LocalLedger implements Ledger {
  readonly shared = false;
  readonly where: string;

  constructor(readonly sqlite: SqliteLedger) {
    this.where = sqlite.path;
  }

  close(): Promise<void> {
    return Promise.resolve(this.sqlite.close());
  }
  addLoop(spec: LoopSpec, now: number): Promise<Loop> {
    return settle(() => this.sqlite.addLoop(spec, now));
  }
  findLoop(nameOrId: string): Promise<Loop | undefined> {
    return settle(() => this.sqlite.findLoop(nameOrId));
  }
  requireLoop(nameOrId: string): Promise<Loop> {
    return settle(() => this.sqlite.requireLoop(nameOrId));
  }
  listLoops(options: { includeRemoved?: boolean } = {}): Promise<Loop[]> {
    return settle(() => this.sqlite.listLoops(options));
  }
  activeLoops(): Promise<Loop[]> {
    return settle(() => this.sqlite.activeLoops());
  }
  setState(id: string, state: LoopState, now: number): Promise<void> {
    return settle(() => this.sqlite.setState(id, state, now));
  }
  materialise(
    loopId: string,
    fromCursorMs: number,
    toCursorMs: number,
    rows: SlotRow[],
    now: number,
  ): Promise<boolean> {
    return settle(() => this.sqlite.materialise(loopId, fromCursorMs, toCursorMs, rows, now));
  }
  insertEventRun(
    loopId: string,
    trigger: RunTrigger,
    triggerRef: string | null,
    now: number,
  ): Promise<Run | undefined> {
    return settle(() => this.sqlite.insertEventRun(loopId, trigger, triggerRef, now));
  }
  getRun(id: string): Promise<Run | undefined> {
    return settle(() => this.sqlite.getRun(id));
  }
  listRuns(options: ListRunsOptions = {}): Promise<Run[]> {
    return settle(() => this.sqlite.listRuns(options));
  }
  queuedRuns(): Promise<Run[]> {
    return settle(() => this.sqlite.queuedRuns());
  }
  runningRuns(): Promise<Run[]> {
    return settle(() => this.sqlite.runningRuns());
  }
  skipQueued(id: string, reason: string, now: number): Promise<boolean> {
    return settle(() => this.sqlite.skipQueued(id, reason, now));
  }
  claim(
    id: string,
    daemonId: string,
    host: string,
    leaseUntilMs: number,
    now: number,
  ): Promise<boolean> {
    return settle(() => this.sqlite.claim(id, daemonId, host, leaseUntilMs, now));
  }
  recordProcess(id: string, daemonId: string, proc: RunProcess): Promise<void> {
    return settle(() => this.sqlite.recordProcess(id, daemonId, proc));
  }
  setLogPath(id: string, logPath: string): Promise<void> {
    return settle(() => this.sqlite.setLogPath(id, logPath));
  }
  finalize(id: string, daemonId: string | null, end: RunEnd): Promise<boolean> {
    return settle(() => this.sqlite.finalize(id, daemonId, end));
  }
  heartbeat(daemonId: string, now: number, leaseMs: number): Promise<void> {
    return settle(() => this.sqlite.heartbeat(daemonId, now, leaseMs));
  }
  registerDaemon(row: DaemonRow): Promise<void> {
    return settle(() => this.sqlite.registerDaemon(row));
  }
  stopDaemon(id: string, now: number): Promise<void> {
    return settle(() => this.sqlite.stopDaemon(id, now));
  }
  getDaemon(id: string): Promise<DaemonRow | undefined> {
    return settle(() => this.sqlite.getDaemon(id));
  }
  /** One daemon per home (the lock): no other daemon ever shares this file. */
  liveDaemons(): Promise<DaemonRow[]> {
    return Promise.resolve([]);
  }
}

/** A synchronous call as a promise: a throw becomes a rejection, like a failed Redis call. */
function settle<T>(work: () => T): Promise<T> {
  return new Promise((resolve) => resolve(work()));
}
