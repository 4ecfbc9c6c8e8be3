// pnpm bench:daemon — the loops daemon under load (issue 16, design §11). Not a test: numbers.
// 1. 200 loops `--every 5s` on a marker-writing command for BENCH_SECONDS (default 120):
//    duplicates, missed slots, start lag p50/p99, runs/s, daemon RSS.
// 2. The same with the daemon killed (kill -9) five times at random moments, restarted after
//    0–3 s: every slot accounted for by the policy, no duplicate.
// 3. Three daemons sharing one redis-server (`daemon.store`): every slot runs once across them
//    (scripts/bench/daemon-redis.ts).
// BENCH_SCENARIOS=steady,kills,redis picks scenarios (default: all three).
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { SqliteLedger, buildLoopSpec, ledgerPath, type Loop, type Run } from "@hedge/daemon";
import { redisScenario } from "./daemon-redis.js";
import { machine, printTable, quantile } from "./table.js";

const bin = fileURLToPath(new URL("../../packages/cli/dist/hedge.js", import.meta.url));
if (!existsSync(bin)) {
  console.error("bench:daemon: packages/cli/dist/hedge.js is missing; run `npm run setup` first");
  process.exit(1);
}
const LOOPS = Number(process.env["BENCH_LOOPS"] ?? 200);
const SECONDS = Number(process.env["BENCH_SECONDS"] ?? 120);
const SCENARIOS = new Set(
  (process.env["BENCH_SCENARIOS"] ?? "steady,kills,redis").split(",").map((name) => name.trim()),
);

export interface Setup {
  home: string;
  mark: string;
  createdAt: number;
}

/** The bench's loop: appends its loop id and slot to `mark`, so a duplicate run is a duplicate line. */
export function markingLoop(index: number, mark: string, now: number, cwd: string) {
  return buildLoopSpec(
    {
      name: `bench-${index}`,
      every: "5s",
      agent: "command",
      env: [],
      rest: ["/bin/sh", "-c", `echo "$HEDGE_LOOP_ID $HEDGE_SCHEDULED_FOR" >> ${mark}`],
    },
    { now, cwd, path: process.env["PATH"] },
  ).spec;
}

function setup(): Setup {
  const home = mkdtempSync(join(tmpdir(), "hedge-bench-daemon-"));
  writeFileSync(join(home, "config.toml"), "[daemon]\nmax_concurrent_runs = 32\n");
  const mark = join(home, "mark");
  writeFileSync(mark, "");
  const ledger = new SqliteLedger(ledgerPath(home));
  const createdAt = Date.now();
  for (let index = 0; index < LOOPS; index += 1) {
    ledger.addLoop(markingLoop(index, mark, createdAt, home), createdAt);
  }
  ledger.close();
  return { home, mark, createdAt };
}

function startDaemon(home: string): ChildProcess {
  // BENCH_DAEMON_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the daemon (node
  // refuses --cpu-prof in NODE_OPTIONS).
  const nodeArgs = (process.env["BENCH_DAEMON_NODE_ARGS"] ?? "").split(" ").filter(Boolean);
  return spawn(process.execPath, [...nodeArgs, bin, "daemon", "run"], {
    env: { PATH: process.env["PATH"], HOME: home, HEDGE_HOME: home },
    stdio: "ignore",
  });
}

/** The process's user+system CPU time in ms, from /proc/PID/stat (clock ticks of 10 ms). */
function cpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
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

async function stopDaemon(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

export interface Outcome {
  expected: number;
  missing: number;
  duplicates: number;
  lagP50: number;
  lagP99: number;
  runsPerSecond: number;
  rssP50: number;
  rssMax: number;
  statuses: Record<string, number>;
  catchups: number;
  unfinished: number;
}

function evaluate(
  state: Setup,
  endAt: number,
  rss: number[],
  durationMs: number,
  accounted: (runs: Run[], slot: number) => boolean,
): Outcome {
  const ledger = new SqliteLedger(ledgerPath(state.home));
  const runs = ledger.listRuns({ limit: 10_000_000 });
  const loops = ledger.listLoops();
  ledger.close();
  return evaluateRuns(state, { runs, loops }, endAt, rss, durationMs, accounted);
}

/** The numbers of one scenario from its ledger's rows and the marker file. */
export function evaluateRuns(
  state: Setup,
  { runs, loops }: { runs: Run[]; loops: Loop[] },
  endAt: number,
  rss: number[],
  durationMs: number,
  accounted: (runs: Run[], slot: number) => boolean,
): Outcome {
  const byLoop = new Map<string, Run[]>();
  for (const run of runs) byLoop.set(run.loopId, [...(byLoop.get(run.loopId) ?? []), run]);
  // Expected slots, computed from each loop's anchor independently of the daemon's code:
  // every anchor + k·period after creation, up to the end minus the on-time grace.
  let expected = 0;
  let missing = 0;
  for (const loop of loops) {
    if (loop.schedule.kind !== "every") continue;
    const own = byLoop.get(loop.id) ?? [];
    for (let slot = loop.schedule.anchorMs; slot <= endAt - 2000; slot += loop.schedule.periodMs) {
      if (slot <= state.createdAt) continue;
      expected += 1;
      if (!accounted(own, slot)) missing += 1;
    }
  }
  const lines = readFileSync(state.mark, "utf8").split("\n").filter(Boolean);
  const duplicates = lines.length - new Set(lines).size;
  const lags = runs
    .filter(
      (run) =>
        run.startedAtMs !== null && (run.trigger === "schedule" || run.trigger === "catchup"),
    )
    .map((run) => run.startedAtMs! - run.scheduledFor)
    .sort((a, b) => a - b);
  const statuses: Record<string, number> = {};
  for (const run of runs) statuses[run.status] = (statuses[run.status] ?? 0) + 1;
  const sortedRss = [...rss].sort((a, b) => a - b);
  return {
    expected,
    missing,
    duplicates,
    lagP50: quantile(lags, 0.5),
    lagP99: quantile(lags, 0.99),
    runsPerSecond: (statuses["succeeded"] ?? 0) / (durationMs / 1000),
    rssP50: quantile(sortedRss, 0.5) / 1024,
    rssMax: (sortedRss.at(-1) ?? 0) / 1024,
    statuses,
    catchups: runs.filter((run) => run.trigger === "catchup").length,
    unfinished: runs.filter((run) => run.status === "queued" || run.status === "running").length,
  };
}

/** A slot has its own row, or falls inside a skipped row that stands for a range. */
function accountedByPolicy(runs: Run[], slot: number): boolean {
  return runs.some(
    (run) =>
      run.scheduledFor === slot ||
      (run.collapsedUntilMs !== null && run.scheduledFor <= slot && slot <= run.collapsedUntilMs),
  );
}

async function steady(): Promise<Outcome> {
  const state = setup();
  console.error(`steady: ${LOOPS} loops added, daemon starting`);
  const child = startDaemon(state.home);
  const rss: number[] = [];
  const started = Date.now();
  while (Date.now() - started < SECONDS * 1000) {
    await sleep(1000);
    const value = rssKiB(child.pid);
    if (value !== undefined) rss.push(value);
  }
  const endAt = Date.now();
  const cpu = cpuMs(child.pid);
  await sleep(1500); // the last slots finish
  console.error("steady: stopping the daemon");
  await stopDaemon(child);
  const outcome = evaluate(state, endAt, rss, endAt - started, (runs, slot) =>
    runs.some((run) => run.scheduledFor === slot),
  );
  const succeeded = outcome.statuses["succeeded"] ?? 0;
  if (cpu !== undefined && succeeded > 0) {
    console.log(
      `steady: daemon CPU ${cpu} ms over ${succeeded} runs = ${(cpu / succeeded).toFixed(1)} ms/run (load ${loadavg()[0]!.toFixed(2)})`,
    );
  }
  if (!process.env["BENCH_KEEP"]) rmSync(state.home, { recursive: true, force: true });
  return outcome;
}

async function withKills(): Promise<Outcome & { kills: number }> {
  const state = setup();
  const durationMs = SECONDS * 1000;
  // Five kill moments, uniformly random in the run, at least 4 s apart and from the ends.
  const span = Math.max(1000, durationMs - 12_000);
  const gap = Math.min(4000, span / 6);
  const moments: number[] = [];
  while (moments.length < 5) {
    const at = 4000 + Math.random() * span;
    if (moments.every((other) => Math.abs(other - at) > gap)) moments.push(at);
  }
  moments.sort((a, b) => a - b);
  console.error(`kill -9: ${LOOPS} loops added, daemon starting`);
  let child = startDaemon(state.home);
  const rss: number[] = [];
  const started = Date.now();
  let kills = 0;
  while (Date.now() - started < durationMs) {
    await sleep(250);
    const elapsed = Date.now() - started;
    if (kills < moments.length && elapsed >= moments[kills]!) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGKILL");
      await exited;
      kills += 1;
      console.error(
        `kill -9: daemon killed (${kills}/${moments.length}) at ${(elapsed / 1000).toFixed(1)}s`,
      );
      await sleep(Math.random() * 3000);
      child = startDaemon(state.home);
    }
    if (elapsed % 1000 < 250) {
      const value = rssKiB(child.pid);
      if (value !== undefined) rss.push(value);
    }
  }
  const endAt = Date.now();
  await sleep(1500);
  await stopDaemon(child);
  const outcome = evaluate(state, endAt, rss, endAt - started, accountedByPolicy);
  if (!process.env["BENCH_KEEP"]) rmSync(state.home, { recursive: true, force: true });
  return { ...outcome, kills };
}

console.log(`machine: ${machine()}`);
console.log(
  `${LOOPS} loops every 5s, command adapter (/bin/sh -c 'echo … >> marker'), ${SECONDS}s per scenario, max_concurrent_runs 32, jitter 0`,
);
const first = SCENARIOS.has("steady") ? await steady() : undefined;
const second = SCENARIOS.has("kills") ? await withKills() : undefined;
const third = SCENARIOS.has("redis")
  ? await redisScenario({ bin, loops: LOOPS, seconds: SECONDS, markingLoop, evaluateRuns })
  : undefined;
const statusText = (statuses: Record<string, number>): string =>
  Object.entries(statuses)
    .map(([status, count]) => `${status} ${count}`)
    .join(", ");
printTable(
  [
    "scenario",
    "expected slots",
    "missed",
    "duplicates",
    "lag p50 ms",
    "lag p99 ms",
    "runs/s",
    "RSS p50 MiB",
    "RSS max MiB",
  ],
  (
    [
      ["steady", first],
      [`kill -9 x${second?.kills ?? 0}`, second],
      ["3 daemons on Redis", third],
    ] as [string, Outcome | undefined][]
  )
    .filter((row): row is [string, Outcome] => row[1] !== undefined)
    .map(([name, outcome]) => [
      name,
      String(outcome.expected),
      String(outcome.missing),
      String(outcome.duplicates),
      outcome.lagP50.toFixed(0),
      outcome.lagP99.toFixed(0),
      outcome.runsPerSecond.toFixed(1),
      outcome.rssP50.toFixed(0),
      outcome.rssMax.toFixed(0),
    ]),
);
for (const [name, outcome] of [
  ["steady", first],
  ["kill -9", second],
  ["redis", third],
] as const) {
  if (!outcome) continue;
  console.log(
    `${name} rows: ${statusText(outcome.statuses)}; catch-ups ${outcome.catchups}; unfinished ${outcome.unfinished}`,
  );
}
if (third) console.log(`redis: runs per daemon ${third.perDaemon.join(" / ")}`);
