import type { Ledger } from "../ledger/ledger.js";
import type { MissedPolicy, Run } from "../ledger/types.js";
import { killGroup } from "../run/process-group.js";
import { pidAlive, processStartTicks } from "../run/proc-identity.js";

export interface ReaperDeps {
  ledger: Ledger;
  daemonId: string;
  host: string;
  bootId: string | null;
  killGraceMs: number;
  /** Own runs still tracked by this process's executor. */
  isTracked: (runId: string) => boolean;
  log: (line: string) => void;
}

/**
 * Ends runs nobody will end: rows left `running` by a daemon that died (its lease expired, or
 * it ran on this host and boot and its pid is gone) become `interrupted`, and their process
 * groups are killed when they are provably the same processes (host, boot id, start time).
 * Interrupted runs are never re-run: agent runs are not idempotent.
 */
export async function reapOrphans(deps: ReaperDeps, now: number): Promise<number> {
  let reaped = 0;
  for (const run of await deps.ledger.runningRuns()) {
    if (run.daemonId === deps.daemonId && deps.isTracked(run.id)) continue;
    if (!(await ownerGone(deps, run, now))) continue;
    await killIfOurs(deps, run);
    if (
      await deps.ledger.finalize(run.id, run.daemonId, {
        status: "interrupted",
        reason: "daemon died",
        endedAtMs: now,
      })
    ) {
      reaped += 1;
      deps.log(`run ${run.id} was left running by a daemon that died: interrupted`);
    }
  }
  return reaped;
}

async function ownerGone(deps: ReaperDeps, run: Run, now: number): Promise<boolean> {
  if (run.daemonId === deps.daemonId) return true; // ours but not tracked: lost
  if (run.leaseUntilMs !== null && run.leaseUntilMs < now) return true;
  const owner = run.daemonId ? await deps.ledger.getDaemon(run.daemonId) : undefined;
  if (!owner) return run.leaseUntilMs === null;
  if (owner.stoppedAtMs !== null) return true;
  // Same host and boot: the owner's pid tells at once, no need to wait for the lease.
  return owner.host === deps.host && owner.bootId === deps.bootId && !pidAlive(owner.pid);
}

async function killIfOurs(deps: ReaperDeps, run: Run): Promise<void> {
  if (run.pgid === null || run.pid === null) return;
  if (run.host !== deps.host || run.bootId !== deps.bootId) return;
  // A recycled pid has another start time: never signal a stranger's process group.
  if (run.procStartTicks === null || processStartTicks(run.pid) !== run.procStartTicks) {
    // The leader is gone; its group may still hold children (same pgid, never reused while
    // any member lives), which are the run's own.
    if (pidAlive(run.pid)) return;
  }
  await killGroup(run.pgid, deps.killGraceMs);
}

/**
 * Queued rows a previous daemon left behind: under `skip` none runs late; under `once` only
 * each loop's newest slot may; manual and event runs still run.
 */
export async function settleStaleQueue(
  ledger: Ledger,
  startedAtMs: number,
  now: number,
): Promise<void> {
  const loops = new Map(
    (await ledger.listLoops({ includeRemoved: true })).map((loop) => [loop.id, loop]),
  );
  const newestKept = new Map<string, string>();
  const stale = (await ledger.queuedRuns()).filter(
    (run) =>
      run.queuedAtMs < startedAtMs && (run.trigger === "schedule" || run.trigger === "catchup"),
  );
  for (const run of stale) newestKept.set(run.loopId, run.id); // ascending: the last wins
  for (const run of stale) {
    const policy: MissedPolicy = loops.get(run.loopId)?.missed ?? "skip";
    if (policy === "all") continue;
    if (policy === "once" && newestKept.get(run.loopId) === run.id) continue;
    await ledger.skipQueued(run.id, "missed", now);
  }
}
