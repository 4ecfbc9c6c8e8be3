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

/** Options of `Ledger.listRuns`. */
export interface ListRunsOptions {
  loopId?: string;
  limit?: number;
  status?: string;
}

/**
 * The loops ledger as the daemon and the CLI use it: SQLite in `$HEDGE_HOME` (one daemon), or
 * Redis (`daemon.store`, several daemons sharing the loops). Every method keeps the same
 * contract in both: a slot `(loopId, scheduledFor)` has at most one row, a cursor moves only
 * from where the caller read it, a claim and a finalize are conditional on the row's status.
 */
export interface Ledger {
  /** True when several daemons share this ledger (Redis): startup must not settle their queue. */
  readonly shared: boolean;
  /** Where the ledger lives, for messages (a Redis URL without its credentials). */
  readonly where: string;
  close(): Promise<void>;

  addLoop(spec: LoopSpec, now: number): Promise<Loop>;
  findLoop(nameOrId: string): Promise<Loop | undefined>;
  requireLoop(nameOrId: string): Promise<Loop>;
  listLoops(options?: { includeRemoved?: boolean }): Promise<Loop[]>;
  activeLoops(): Promise<Loop[]>;
  setState(id: string, state: LoopState, now: number): Promise<void>;

  materialise(
    loopId: string,
    fromCursorMs: number,
    toCursorMs: number,
    rows: SlotRow[],
    now: number,
  ): Promise<boolean>;
  insertEventRun(
    loopId: string,
    trigger: RunTrigger,
    triggerRef: string | null,
    now: number,
  ): Promise<Run | undefined>;
  getRun(id: string): Promise<Run | undefined>;
  listRuns(options?: ListRunsOptions): Promise<Run[]>;
  queuedRuns(): Promise<Run[]>;
  runningRuns(): Promise<Run[]>;
  skipQueued(id: string, reason: string, now: number): Promise<boolean>;
  claim(
    id: string,
    daemonId: string,
    host: string,
    leaseUntilMs: number,
    now: number,
  ): Promise<boolean>;
  recordProcess(id: string, daemonId: string, proc: RunProcess): Promise<void>;
  setLogPath(id: string, logPath: string): Promise<void>;
  finalize(id: string, daemonId: string | null, end: RunEnd): Promise<boolean>;
  heartbeat(daemonId: string, now: number, leaseMs: number): Promise<void>;

  registerDaemon(row: DaemonRow): Promise<void>;
  stopDaemon(id: string, now: number): Promise<void>;
  getDaemon(id: string): Promise<DaemonRow | undefined>;
  /** Daemons (other than `exceptId`) that heartbeat within `withinMs` and did not stop. */
  liveDaemons(exceptId: string, now: number, withinMs: number): Promise<DaemonRow[]>;
}
