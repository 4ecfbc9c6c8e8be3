import type { Redis } from "ioredis";
import { UsageError } from "@hedge/model-spec";
import { newLoopId, newRunId } from "./ids.js";
import type { Ledger, ListRunsOptions } from "./ledger.js";
import { connectRedis, redactUrl } from "./redis-connect.js";
import {
  daemonFromHash,
  daemonToHash,
  loopFromHash,
  loopToHash,
  runFields,
  runFromHash,
  type Hash,
} from "./redis-rows.js";
import { SCRIPTS, type ScriptName } from "./redis-scripts.js";
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

/** Key prefix of the shared ledger; every daemon pointed at the same server shares it. */
export const REDIS_LEDGER_PREFIX = "hedge:loops:";

type ScriptCall = (...args: string[]) => Promise<unknown>;

/** What a claim found: claimed, already someone else's (or ended), or the loop is busy. */
export type ClaimResult = "claimed" | "taken" | "busy";

/**
 * The loops ledger in Redis (`daemon.store = "redis://…"`), shared by every daemon pointed at the
 * server. Each write is one Lua script (see redis-scripts.ts), so the SQLite ledger's guarantees
 * hold across machines: one row per slot (HSETNX on `loopId:scheduledFor`), a cursor moved only
 * from where the caller read it, claims and verdicts conditional on the row's status.
 */
export class RedisLedger implements Ledger {
  readonly shared = true;
  readonly where: string;
  private readonly scripts: Record<ScriptName, ScriptCall>;

  private constructor(
    readonly client: Redis,
    readonly url: string,
    private readonly prefix: string,
  ) {
    this.where = redactUrl(url);
    for (const [name, lua] of Object.entries(SCRIPTS)) {
      client.defineCommand(name, { numberOfKeys: 0, lua });
    }
    this.scripts = client as unknown as Record<ScriptName, ScriptCall>;
  }

  /** Connects, or throws one clear line (unreachable, refused login, not a URL). */
  static async connect(url: string, prefix = REDIS_LEDGER_PREFIX): Promise<RedisLedger> {
    return new RedisLedger(await connectRedis(url), url, prefix);
  }

  async close(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect());
  }

  private call(name: ScriptName, ...args: (string | number)[]): Promise<unknown> {
    return this.scripts[name](this.prefix, ...args.map(String));
  }

  private async hashes(keys: string[]): Promise<Hash[]> {
    if (keys.length === 0) return [];
    const pipeline = this.client.pipeline();
    for (const key of keys) pipeline.hgetall(key);
    const replies = (await pipeline.exec()) ?? [];
    return replies
      .map(([error, hash]) => {
        if (error) throw error;
        return hash as Hash;
      })
      .filter((hash) => Object.keys(hash).length > 0);
  }

  private async runsById(ids: string[]): Promise<Run[]> {
    return (await this.hashes(ids.map((id) => `${this.prefix}run:${id}`))).map(runFromHash);
  }

  // ---- loops ------------------------------------------------------------------------------

  async addLoop(spec: LoopSpec, now: number): Promise<Loop> {
    const loop: Loop = {
      ...spec,
      id: newLoopId(),
      state: "active",
      cursorMs: now,
      createdAtMs: now,
      updatedAtMs: now,
    };
    if ((await this.call("addLoop", loop.id, loop.name, ...loopToHash(loop))) !== 1) {
      throw new UsageError(`a loop named "${spec.name}" already exists`, {
        hint: `pick another name, or remove it first: hedge loop rm ${spec.name}`,
      });
    }
    return loop;
  }

  private async loopById(id: string): Promise<Loop | undefined> {
    const hash = await this.client.hgetall(`${this.prefix}loop:${id}`);
    return Object.keys(hash).length > 0 ? loopFromHash(hash) : undefined;
  }

  async findLoop(nameOrId: string): Promise<Loop | undefined> {
    const byName = await this.client.hget(`${this.prefix}names`, nameOrId);
    const live = byName ? await this.loopById(byName) : undefined;
    if (live && live.state !== "removed") return live;
    return this.loopById(nameOrId);
  }

  async requireLoop(nameOrId: string): Promise<Loop> {
    const loop = await this.findLoop(nameOrId);
    if (!loop || loop.state === "removed") {
      throw new UsageError(`no loop named "${nameOrId}"`, {
        hint: "hedge loop list shows the loops",
        code: "loop_not_found",
      });
    }
    return loop;
  }

  async listLoops(options: { includeRemoved?: boolean } = {}): Promise<Loop[]> {
    const ids = await this.client.smembers(`${this.prefix}loops`);
    const loops = (await this.hashes(ids.map((id) => `${this.prefix}loop:${id}`))).map(
      loopFromHash,
    );
    return loops
      .filter((loop) => options.includeRemoved || loop.state !== "removed")
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async activeLoops(): Promise<Loop[]> {
    return (await this.listLoops()).filter((loop) => loop.state === "active");
  }

  async setState(id: string, state: LoopState, now: number): Promise<void> {
    await this.call("setState", id, state, now);
  }

  // ---- slots and runs -----------------------------------------------------------------------

  async materialise(
    loopId: string,
    fromCursorMs: number,
    toCursorMs: number,
    rows: SlotRow[],
    now: number,
  ): Promise<boolean> {
    const payload = rows.map((row) => {
      const id = newRunId(now);
      return {
        at: String(row.scheduledFor),
        id,
        queued: row.status === "queued",
        fields: runFields({
          id,
          loopId,
          scheduledFor: row.scheduledFor,
          trigger: row.trigger,
          status: row.status,
          reason: row.reason,
          collapsedUntilMs: row.collapsedUntilMs,
          collapsedCount: row.collapsedCount,
          queuedAtMs: now,
          endedAtMs: row.status === "skipped" ? now : null,
        }),
      };
    });
    const moved = await this.call(
      "materialise",
      loopId,
      fromCursorMs,
      toCursorMs,
      JSON.stringify(payload),
    );
    return moved === 1;
  }

  async insertEventRun(
    loopId: string,
    trigger: RunTrigger,
    triggerRef: string | null,
    now: number,
  ): Promise<Run | undefined> {
    const id = newRunId(now);
    const fields = runFields({
      id,
      loopId,
      trigger,
      triggerRef,
      status: "queued",
      queuedAtMs: now,
    });
    const inserted = await this.call("insertEvent", loopId, triggerRef ?? "", now, id, ...fields);
    return typeof inserted === "string" ? this.getRun(inserted) : undefined;
  }

  async getRun(id: string): Promise<Run | undefined> {
    return (await this.runsById([id]))[0];
  }

  async listRuns(options: ListRunsOptions = {}): Promise<Run[]> {
    const key = options.loopId ? `${this.prefix}loop-runs:${options.loopId}` : `${this.prefix}runs`;
    const limit = options.limit ?? 50;
    // Ties on the slot order by id, descending, as in SQLite.
    const ids = options.status
      ? await this.client.zrevrange(key, 0, -1)
      : await this.client.zrevrange(key, 0, limit - 1);
    const runs = await this.runsById(ids);
    return (options.status ? runs.filter((run) => run.status === options.status) : runs).slice(
      0,
      limit,
    );
  }

  async queuedRuns(): Promise<Run[]> {
    return this.runsById(await this.client.zrange(`${this.prefix}queued`, 0, -1));
  }

  async runningRuns(): Promise<Run[]> {
    return this.runsById(await this.client.smembers(`${this.prefix}running`));
  }

  async skipQueued(id: string, reason: string, now: number): Promise<boolean> {
    return (await this.call("skipQueued", id, reason, now)) === 1;
  }

  async claim(
    id: string,
    daemonId: string,
    host: string,
    leaseUntilMs: number,
    now: number,
  ): Promise<boolean> {
    return (await this.claimSlot(id, daemonId, host, leaseUntilMs, now, false)) === "claimed";
  }

  /** A claim that, when `exclusive`, refuses while any daemon runs this loop (overlap). */
  async claimSlot(
    id: string,
    daemonId: string,
    host: string,
    leaseUntilMs: number,
    now: number,
    exclusive: boolean,
  ): Promise<ClaimResult> {
    const result = await this.call(
      "claim",
      id,
      daemonId,
      host,
      leaseUntilMs,
      now,
      exclusive ? "1" : "0",
    );
    return result === 1 ? "claimed" : result === -1 ? "busy" : "taken";
  }

  async recordProcess(id: string, daemonId: string, proc: RunProcess): Promise<void> {
    await this.call("recordProcess", id, daemonId, ...runFields({ ...proc }));
  }

  async setLogPath(id: string, logPath: string): Promise<void> {
    await this.client.hset(`${this.prefix}run:${id}`, "logPath", logPath);
  }

  async finalize(id: string, daemonId: string | null, end: RunEnd): Promise<boolean> {
    return (await this.call("finalize", id, daemonId ?? "", ...runFields({ ...end }))) === 1;
  }

  async heartbeat(daemonId: string, now: number, leaseMs: number): Promise<void> {
    await this.call("heartbeat", daemonId, now, now + leaseMs);
  }

  // ---- daemons ------------------------------------------------------------------------------

  async registerDaemon(row: DaemonRow): Promise<void> {
    await this.client
      .multi()
      .hset(`${this.prefix}daemon:${row.id}`, ...daemonToHash(row))
      .sadd(`${this.prefix}daemons`, row.id)
      .exec();
  }

  async stopDaemon(id: string, now: number): Promise<void> {
    await this.client.hset(`${this.prefix}daemon:${id}`, "stoppedAtMs", String(now));
  }

  async getDaemon(id: string): Promise<DaemonRow | undefined> {
    const hash = await this.client.hgetall(`${this.prefix}daemon:${id}`);
    return Object.keys(hash).length > 0 ? daemonFromHash(hash) : undefined;
  }

  async liveDaemons(exceptId: string, now: number, withinMs: number): Promise<DaemonRow[]> {
    const ids = await this.client.smembers(`${this.prefix}daemons`);
    const rows = (await this.hashes(ids.map((id) => `${this.prefix}daemon:${id}`))).map(
      daemonFromHash,
    );
    return rows.filter(
      (row) =>
        row.id !== exceptId && row.stoppedAtMs === null && now - row.heartbeatAtMs <= withinMs,
    );
  }
}
