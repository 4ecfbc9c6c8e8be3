import { DelayedError, Queue, Worker, type Job } from "bullmq";
import type { Redis } from "ioredis";
import { connectRedis } from "../ledger/redis-connect.js";
import type { RedisLedger } from "../ledger/redis-ledger.js";
import type { Loop, Run } from "../ledger/types.js";

/** The BullMQ queue every daemon on one Redis shares. */
export const QUEUE_NAME = "hedge-loops";
/** How long a run that waits for its loop (`--overlap queue`, `--missed all`) sleeps per try. */
const WAIT_RETRY_MS = 250;
/** Finished jobs are kept this long, so a late re-offer of the same slot is a no-op. */
const KEEP_JOBS_S = 3600;

/**
 * The job id of a run: its slot, `loopId@scheduledFor`. BullMQ refuses `:` in custom ids, so
 * `@` stands where the ledger's slot key has `:`; both name the same unique slot.
 */
export function jobIdOf(run: Pick<Run, "loopId" | "scheduledFor">): string {
  return `${run.loopId}@${run.scheduledFor}`;
}

export interface BullDispatchDeps {
  url: string;
  ledger: RedisLedger;
  daemonId: string;
  host: string;
  leaseMs: number;
  /** This daemon's cap on concurrent runs: the worker's concurrency. */
  concurrency: number;
  /** Starts a claimed run; settles when its row is final. */
  start: (run: Run, loop: Loop) => Promise<void>;
  /** Runs between claim and start: the reaper must not take them for lost. */
  claiming: Set<string>;
  log: (line: string) => void;
}

/**
 * Delivery for a shared (Redis) ledger. croner and the tick policy still decide which slots are
 * owed (BullMQ's job schedulers have no missed-slot policy, overlap rule or per-slot ledger row);
 * each queued row is offered as a BullMQ job whose id is its slot, so however many daemons offer
 * it there is one job, and one worker gets it. The worker's claim is the ledger's atomic
 * queued → running step, so a job delivered twice (a stalled worker's job handed on) still runs
 * once.
 */
export class BullDispatch {
  /** Runs this daemon offered already (the job id dedupes anyway; this saves the round trip). */
  private readonly offered = new Set<string>();

  private constructor(
    private readonly deps: BullDispatchDeps,
    private readonly queue: Queue,
    private readonly worker: Worker,
    private readonly connections: Redis[],
  ) {}

  static async start(deps: BullDispatchDeps): Promise<BullDispatch> {
    // BullMQ's blocking connections must retry forever (maxRetriesPerRequest: null).
    const queueConnection = await connectRedis(deps.url, { maxRetriesPerRequest: null });
    const workerConnection = await connectRedis(deps.url, { maxRetriesPerRequest: null });
    const queue = new Queue(QUEUE_NAME, { connection: queueConnection });
    // The processor needs the instance, the instance needs the worker: a holder ties them.
    const holder: { self?: BullDispatch } = {};
    const worker = new Worker(
      QUEUE_NAME,
      (job: Job<{ runId: string }>, token?: string) => holder.self!.process(job, token),
      {
        connection: workerConnection,
        concurrency: deps.concurrency,
        autorun: false,
        // A dead daemon's job goes back to the others after this; the ledger's claim makes the
        // second delivery a no-op, and the reaper interrupts the dead daemon's run.
        lockDuration: Math.max(deps.leaseMs, 5000),
        maxStalledCount: 1000,
      },
    );
    worker.on("error", (error) => deps.log(`queue: ${error.message}`));
    const self = new BullDispatch(deps, queue, worker, [queueConnection, workerConnection]);
    holder.self = self;
    void worker.run().catch((error: unknown) => deps.log(`queue: ${(error as Error).message}`));
    return self;
  }

  /**
   * Offers every queued row as its slot's job, due at its slot plus the loop's jitter: one
   * round trip for the batch (a tick of 200 loops is 200 jobs).
   */
  async dispatch(now: number): Promise<void> {
    const { ledger } = this.deps;
    const queued = await ledger.queuedRuns();
    const still = new Set(queued.map((run) => run.id));
    for (const id of this.offered) if (!still.has(id)) this.offered.delete(id);
    const fresh = queued.filter((run) => !this.offered.has(run.id));
    if (fresh.length === 0) return;
    const loops = new Map((await ledger.listLoops()).map((loop) => [loop.id, loop]));
    const jobs = [];
    for (const run of fresh) {
      // A removed loop's name was freed, so it is not listed: its runs are skipped.
      const loop = loops.get(run.loopId);
      if (!loop) {
        await ledger.skipQueued(run.id, "removed", now);
        continue;
      }
      jobs.push({
        name: "run",
        data: { runId: run.id },
        opts: {
          jobId: jobIdOf(run),
          delay: Math.max(0, run.scheduledFor + loop.jitterMs - now),
          attempts: 1,
          removeOnComplete: { age: KEEP_JOBS_S },
          removeOnFail: { age: KEEP_JOBS_S },
        },
      });
    }
    if (jobs.length === 0) return;
    await this.queue.addBulk(jobs);
    for (const run of fresh) this.offered.add(run.id);
  }

  /** One delivered slot: claim it in the ledger (or skip it by the overlap rule), then run it. */
  private async process(job: Job<{ runId: string }>, token: string | undefined): Promise<void> {
    const { ledger, daemonId, host, leaseMs } = this.deps;
    const run = await ledger.getRun(job.data.runId);
    if (!run || run.status !== "queued") return;
    const loop = await ledger.findLoop(run.loopId);
    const now = Date.now();
    if (!loop || loop.state === "removed") {
      await ledger.skipQueued(run.id, "removed", now);
      return;
    }
    this.deps.claiming.add(run.id);
    let ended: Promise<void>;
    try {
      const claimed = await ledger.claimSlot(run.id, daemonId, host, now + leaseMs, now, true);
      if (claimed === "taken") return;
      if (claimed === "busy") {
        if (await this.mayWait(run, loop)) {
          await job.moveToDelayed(Date.now() + WAIT_RETRY_MS, token);
          throw new DelayedError();
        }
        await ledger.skipQueued(run.id, "overlap", now);
        return;
      }
      ended = this.deps.start({ ...run, status: "running", startedAtMs: now }, loop);
    } finally {
      this.deps.claiming.delete(run.id);
    }
    await ended;
  }

  /**
   * While the loop runs elsewhere: catch-ups of `--missed all` wait their turn; under
   * `--overlap queue` the loop's oldest queued run waits, later ones are skipped.
   */
  private async mayWait(run: Run, loop: Loop): Promise<boolean> {
    if (run.trigger === "catchup" && loop.missed === "all") return true;
    if (loop.overlap !== "queue") return false;
    const older = (await this.deps.ledger.queuedRuns()).find(
      (other) => other.loopId === run.loopId && other.id !== run.id,
    );
    return older === undefined || older.scheduledFor > run.scheduledFor;
  }

  /** Stops taking jobs; runs in progress are the executor's to end. */
  async pause(): Promise<void> {
    await this.worker.pause(true);
  }

  async close(): Promise<void> {
    await this.worker.close();
    await this.queue.close();
    for (const connection of this.connections) connection.disconnect();
  }
}
