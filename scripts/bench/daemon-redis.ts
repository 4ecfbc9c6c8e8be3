// The "3 daemons on Redis" scenario of bench:daemon: three `hedge daemon run` processes, each in
// its own HEDGE_HOME, share one redis-server through `daemon.store`. Every slot must run once
// across the three (the marker file has one line per run), none missed.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { RedisLedger, type Loop, type LoopSpec, type Run } from "@hedge/daemon";
import { startRedisServer } from "../../packages/testkit/src/redis-server.js";
import type { Outcome, Setup } from "./daemon.js";

export interface RedisScenarioInput {
  bin: string;
  loops: number;
  seconds: number;
  /** The bench's marker-writing loop (from daemon.ts, passed in: no import cycle). */
  markingLoop: (index: number, mark: string, now: number, cwd: string) => LoopSpec;
  evaluateRuns: (
    state: Setup,
    rows: { runs: Run[]; loops: Loop[] },
    endAt: number,
    rss: number[],
    durationMs: number,
    accounted: (runs: Run[], slot: number) => boolean,
  ) => Outcome;
}

function rssKiB(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

export async function redisScenario(
  input: RedisScenarioInput,
): Promise<Outcome & { perDaemon: number[] }> {
  const redis = await startRedisServer();
  const work = mkdtempSync(join(tmpdir(), "hedge-bench-redis-"));
  const mark = join(work, "mark");
  writeFileSync(mark, "");
  // Three homes: three daemons, each with its own lock and socket, one shared ledger.
  const homes = [0, 1, 2].map((index) => {
    const home = join(work, `home-${index}`);
    mkdirSync(home, { mode: 0o700 });
    writeFileSync(
      join(home, "config.toml"),
      `[daemon]\nmax_concurrent_runs = 32\nstore = "${redis.url}"\n`,
    );
    return home;
  });
  const ledger = await RedisLedger.connect(redis.url);
  const createdAt = Date.now();
  for (let index = 0; index < input.loops; index += 1) {
    await ledger.addLoop(input.markingLoop(index, mark, createdAt, work), createdAt);
  }
  console.error(`redis: ${input.loops} loops added, three daemons starting`);
  const daemons = homes.map((home) =>
    spawn(process.execPath, [input.bin, "daemon", "run"], {
      env: { PATH: process.env["PATH"], HOME: home, HEDGE_HOME: home },
      stdio: "ignore",
    }),
  );
  const rss: number[] = [];
  const started = Date.now();
  while (Date.now() - started < input.seconds * 1000) {
    await sleep(1000);
    for (const daemon of daemons) {
      const value = rssKiB(daemon.pid);
      if (value !== undefined) rss.push(value);
    }
  }
  const endAt = Date.now();
  await sleep(1500);
  console.error("redis: stopping the daemons");
  await Promise.all(daemons.map(stop));
  const runs = await ledger.listRuns({ limit: 10_000_000 });
  const loops = await ledger.listLoops();
  await ledger.close();
  await redis.stop();
  const outcome = input.evaluateRuns(
    { home: work, mark, createdAt },
    { runs, loops },
    endAt,
    rss,
    endAt - started,
    (own, slot) => own.some((run) => run.scheduledFor === slot),
  );
  const counts = new Map<string, number>();
  for (const run of runs) {
    if (run.daemonId) counts.set(run.daemonId, (counts.get(run.daemonId) ?? 0) + 1);
  }
  if (!process.env["BENCH_KEEP"]) rmSync(work, { recursive: true, force: true });
  return { ...outcome, perDaemon: [...counts.values()] };
}
