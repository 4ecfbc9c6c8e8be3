import {
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { adapterFor } from "../adapters/agents.js";
import type { AgentAccess, RunGateway } from "../adapters/agent-access.js";
import type { RunFacts } from "../adapters/adapter.js";
import type { Ledger } from "../ledger/ledger.js";
import type { Loop, Run, RunEnd } from "../ledger/types.js";
import { runEnvironment } from "./env-allowlist.js";
import { killGroup, signalGroup } from "./process-group.js";
import { closeRunGateway, prepareAgent, redactFile } from "./agent-setup.js";
import { bootId } from "./proc-identity.js";
import { spawnGroup } from "./spawn-run.js";
import { addWorktree, diffSince, headCommit, settleWorktree } from "./worktree.js";

/** What the executor needs from the daemon: narrow on purpose. */
export interface ExecutorDeps {
  ledger: Ledger;
  home: string;
  daemonId: string;
  hedgeCommand: readonly string[];
  /** The daemon's environment, filtered per run by the allowlist. */
  env: NodeJS.ProcessEnv;
  /** SIGTERM → SIGKILL grace for a group. */
  killGraceMs: number;
  now: () => number;
  /** The usage view and run keys (`--via-gateway`); without it vendor CLIs use their own login. */
  access?: AgentAccess;
  /** Called when a run has ended (the dispatcher may start the next). */
  onEnded: (runId: string) => void;
  log: (line: string) => void;
}

/** A run in progress, as the daemon tracks it. */
interface Active {
  /** The profile the run started under and why: recorded with whatever ends the run. */
  profile?: { profile: string | null; profileReason: string | null };
  pgid: number | null;
  stop: ((status: "timed_out" | "interrupted", reason: string) => void) | null;
}

/** `$HEDGE_HOME/logs/loops/<loop>/<run>.log`: both ids are generated, never user text. */
export function runLogPath(home: string, loopId: string, runId: string): string {
  return join(home, "logs", "loops", loopId, `${runId}.log`);
}

const LOG_TAIL_BYTES = 4 << 20;

/**
 * Runs claimed runs: worktree, adapter plan, a detached process group logging to a 0600 file,
 * the wall-clock timeout, `--verify`, the diff stat and the final row. Success is the exit code
 * and verify's exit code, never the agent's words.
 */
export class RunExecutor {
  private readonly active = new Map<string, Active>();

  constructor(private readonly deps: ExecutorDeps) {}

  get size(): number {
    return this.active.size;
  }

  has(runId: string): boolean {
    return this.active.has(runId);
  }

  /** Starts a claimed run; the promise settles once its row is final (it never rejects). */
  start(run: Run, loop: Loop): Promise<void> {
    const entry: Active = { pgid: null, stop: null };
    this.active.set(run.id, entry);
    return this.execute(run, loop, entry)
      .catch(async (error: unknown) => {
        await this.finish(run.id, {
          status: "failed",
          reason: `daemon error: ${(error as Error).message}`.slice(0, 200),
          endedAtMs: this.deps.now(),
        });
      })
      .catch((error: unknown) => {
        this.deps.log(`run ${run.id}: cannot record its end: ${(error as Error).message}`);
      })
      .finally(() => {
        this.active.delete(run.id);
        this.deps.onEnded(run.id);
      });
  }

  /** Ends a run early (cancel, daemon stop): the group is killed, the row says why. */
  stop(runId: string, status: "timed_out" | "interrupted", reason: string): boolean {
    const entry = this.active.get(runId);
    if (!entry?.stop) return false;
    entry.stop(status, reason);
    return true;
  }

  /** Stops every run and waits for them to be recorded (daemon shutdown). */
  async stopAll(reason: string): Promise<void> {
    const waits = [...this.active.keys()].map((id) => {
      this.stop(id, "interrupted", reason);
      return id;
    });
    for (let attempt = 0; attempt < 400 && waits.some((id) => this.active.has(id)); attempt += 1) {
      await new Promise((done) => setTimeout(done, 25));
    }
  }

  private async finish(runId: string, end: RunEnd): Promise<void> {
    const profile = this.active.get(runId)?.profile;
    if (!(await this.deps.ledger.finalize(runId, this.deps.daemonId, { ...profile, ...end }))) {
      this.deps.log(`run ${runId} ended (${end.status}) after the reaper had recorded it`);
    }
  }

  private async execute(run: Run, loop: Loop, entry: Active): Promise<void> {
    const { deps } = this;
    const logPath = runLogPath(deps.home, loop.id, run.id);
    const runDir = join(deps.home, "runs", run.id);
    mkdirSync(join(deps.home, "logs", "loops", loop.id), { recursive: true, mode: 0o700 });
    // Agents get a private directory for run-scoped files; a command needs none.
    if (loop.adapter !== "command") mkdirSync(runDir, { recursive: true, mode: 0o700 });
    const logFd = openSync(logPath, "a", 0o600);
    await deps.ledger.setLogPath(run.id, logPath);
    const note = (text: string): void => {
      writeSync(logFd, `[hedge] ${text}\n`);
    };
    let gateway: RunGateway | null = null;
    let agentKey: string | null = null;
    try {
      let cwd = loop.cwd;
      let worktree: string | null = null;
      if (loop.worktree) {
        try {
          worktree = await addWorktree(deps.home, loop.cwd, loop.id, run.id);
          cwd = worktree;
        } catch (error) {
          note(`worktree: ${(error as Error).message}`);
          await this.finish(run.id, {
            status: "failed",
            reason: "worktree failed",
            endedAtMs: deps.now(),
          });
          return;
        }
      }
      const base = await headCommit(cwd);
      const adapter = adapterFor(loop.adapter);
      const agent = await prepareAgent(loop, run.id, deps.access, deps.now());
      entry.profile = { profile: agent.profile, profileReason: agent.profileReason };
      if (agent.profileReason) note(`profile: ${agent.profile ?? "none"} (${agent.profileReason})`);
      if (agent.failure) {
        note(agent.failure.line);
        await this.finish(run.id, {
          status: "failed",
          reason: agent.failure.reason,
          endedAtMs: deps.now(),
        });
        return;
      }
      gateway = agent.gateway;
      agentKey = gateway?.key ?? null;
      if (gateway)
        note(`via the gateway at ${gateway.url} with run key ${gateway.keyId} (models only)`);
      const plan = adapter.plan({
        loop,
        runId: run.id,
        scheduledFor: run.scheduledFor,
        cwd,
        runDir,
        home: deps.home,
        hedgeCommand: deps.hedgeCommand,
        profile: agent.profile,
        gateway,
      });
      for (const file of plan.files ?? []) writeFileSync(file.path, file.content, { mode: 0o600 });
      const env = runEnvironment(deps.env, loop.envNames, plan.env);

      const main = await this.runGroup(
        run,
        loop,
        entry,
        plan.argv,
        cwd,
        env,
        logFd,
        logPath,
        worktree,
      );
      if (main.kind === "spawn_error") {
        note(`cannot start ${plan.argv[0]}: ${main.code}`);
        await this.finish(run.id, {
          status: "failed",
          reason: `spawn ${main.code}`,
          endedAtMs: deps.now(),
        });
        return;
      }
      if (main.kind === "stopped") {
        await this.finish(run.id, {
          status: main.status,
          reason: main.reason,
          endedAtMs: deps.now(),
          signal: "SIGTERM",
        });
        return;
      }
      let facts = this.observe(adapter.observe?.bind(adapter), logPath);
      if (gateway) {
        // The agent is done with its key: revoked before verify runs; tokens and $ from the gateway.
        const observed = facts;
        facts = await closeRunGateway(gateway, observed).then(
          (read) => {
            gateway = null;
            return read;
          },
          (error: unknown) => {
            note(`gateway usage unreadable: ${(error as Error).message}`);
            return observed;
          },
        );
      }
      let verifyExit: number | null = null;
      let reason: string | null = null;
      let status: RunEnd["status"] = "succeeded";
      if (main.code !== 0) {
        status = "failed";
        reason =
          main.code === null
            ? `signal ${main.signal ?? "?"}`
            : (adapter.explainExit?.(main.code) ?? `exit ${main.code}`);
      } else if (loop.verifyArgv) {
        note(`verify: ${loop.verifyArgv.join(" ")}`);
        const verify = await this.runGroup(
          run,
          loop,
          entry,
          loop.verifyArgv as [string, ...string[]],
          cwd,
          runEnvironment(deps.env, loop.envNames, {}),
          logFd,
          logPath,
          worktree,
        );
        if (verify.kind === "stopped") {
          await this.finish(run.id, {
            status: verify.status,
            reason: verify.reason,
            endedAtMs: deps.now(),
          });
          return;
        }
        verifyExit = verify.kind === "exited" ? verify.code : null;
        if (verify.kind === "spawn_error") {
          status = "failed";
          reason = `verify spawn ${verify.code}`;
        } else if (verify.code !== 0) {
          status = "failed";
          reason =
            verify.code === null
              ? `verify signal ${verify.signal ?? "?"}`
              : `verify exit ${verify.code}`;
        }
      }
      const diff = base ? await diffSince(cwd, base).catch(() => null) : null;
      const kept = worktree ? await settleWorktree(loop.cwd, worktree).catch(() => true) : null;
      await this.finish(run.id, {
        status,
        reason,
        endedAtMs: deps.now(),
        exitCode: main.code,
        signal: main.signal,
        verifyExitCode: verifyExit,
        outcome: diff ? (diff.files > 0 ? "changed" : "no_changes") : null,
        diffFiles: diff?.files ?? null,
        diffInsertions: diff?.insertions ?? null,
        diffDeletions: diff?.deletions ?? null,
        worktreeKept: kept,
        ...facts,
      });
    } finally {
      // A run that ended early still loses its key.
      if (gateway) await gateway.close().catch(() => undefined);
      closeSync(logFd);
      // An agent may print its environment: the key never stays in the log.
      if (agentKey) redactFile(logPath, agentKey, "[redacted]".padEnd(agentKey.length, "*"));
      // Run-scoped files (settings, last message) are for the run only.
      if (loop.adapter !== "command") rmSync(runDir, { recursive: true, force: true });
    }
  }

  /** One process group (the agent, or verify): started, timed, waited for, its leftovers killed. */
  private async runGroup(
    run: Run,
    loop: Loop,
    entry: Active,
    argv: readonly [string, ...string[]],
    cwd: string,
    env: Record<string, string>,
    logFd: number,
    logPath: string,
    worktree: string | null,
  ): Promise<
    | { kind: "exited"; code: number | null; signal: NodeJS.Signals | null }
    | { kind: "spawn_error"; code: string }
    | { kind: "stopped"; status: "timed_out" | "interrupted"; reason: string }
  > {
    const { deps } = this;
    let group;
    try {
      group = await spawnGroup(argv, { cwd, env, logFd });
    } catch (error) {
      return { kind: "spawn_error", code: (error as NodeJS.ErrnoException).code ?? "error" };
    }
    entry.pgid = group.pgid;
    // A failed write must not orphan the group just started: it is timed and waited for below.
    await deps.ledger
      .recordProcess(run.id, deps.daemonId, {
        pid: group.pid,
        pgid: group.pgid,
        procStartTicks: group.procStartTicks,
        bootId: bootId(),
        host: hostname(),
        logPath,
        worktreePath: worktree,
        startedAtMs: run.startedAtMs ?? deps.now(),
      })
      .catch((error: unknown) =>
        deps.log(`run ${run.id}: cannot record its process: ${(error as Error).message}`),
      );
    // Set from the timer or a cancel, read after the exit: a holder, not narrowed locals.
    const ending: {
      stopped: { status: "timed_out" | "interrupted"; reason: string } | null;
      killing: Promise<void> | null;
    } = { stopped: null, killing: null };
    const stop = (status: "timed_out" | "interrupted", reason: string): void => {
      if (ending.stopped) return;
      ending.stopped = { status, reason };
      ending.killing = killGroup(group.pgid, deps.killGraceMs);
    };
    entry.stop = stop;
    const elapsed = deps.now() - (run.startedAtMs ?? deps.now());
    const timer = setTimeout(
      () => stop("timed_out", `timeout ${Math.round(loop.timeoutMs / 1000)}s`),
      Math.max(0, loop.timeoutMs - elapsed),
    );
    try {
      const exit = await group.exited;
      if (ending.killing) await ending.killing;
      // Whatever the leader left behind (a background child) ends with it.
      else if (signalGroup(group.pgid, "SIGTERM")) await killGroup(group.pgid, deps.killGraceMs);
      if (ending.stopped) return { kind: "stopped", ...ending.stopped };
      return { kind: "exited", code: exit.code, signal: exit.signal };
    } finally {
      clearTimeout(timer);
      entry.stop = null;
      entry.pgid = null;
    }
  }

  /** Usage facts from the run's log (the tail), through the adapter's line reader. */
  private observe(
    reader: ((line: string, facts: RunFacts) => void) | undefined,
    logPath: string,
  ): RunFacts {
    const facts: RunFacts = { inputTokens: null, outputTokens: null, costUsd: null };
    if (!reader) return facts;
    let text: string;
    try {
      const buffer = readFileSync(logPath);
      text = buffer.subarray(Math.max(0, buffer.length - LOG_TAIL_BYTES)).toString("utf8");
    } catch {
      return facts;
    }
    for (const line of text.split("\n")) reader(line.trim(), facts);
    return facts;
  }
}
