import { UsageError } from "@hedge/model-spec";
import { nextSlotAfter, type Loop } from "@hedge/daemon";
import { describeSchedule, runLine } from "./loop-format.js";
import { withLedger } from "./loop-ledger.js";

function nextOf(loop: Loop, now: number): string {
  if (loop.state !== "active") return "-";
  const next = nextSlotAfter(loop.schedule, Math.max(now, loop.cursorMs));
  return next === null ? "-" : new Date(next).toISOString();
}

/** `hedge loop list`. */
export async function runLoopList(options: { json: boolean }): Promise<void> {
  const now = Date.now();
  const rows = await withLedger(async (ledger) => {
    const loops = await ledger.listLoops();
    return Promise.all(
      loops.map(async (loop) => ({
        loop,
        last: (await ledger.listRuns({ loopId: loop.id, limit: 1 }))[0],
      })),
    );
  });
  if (options.json) {
    process.stdout.write(
      `${JSON.stringify(rows.map(({ loop, last }) => ({ ...loop, nextSlot: nextOf(loop, now), lastRun: last ?? null })))}\n`,
    );
    return;
  }
  if (rows.length === 0) {
    process.stdout.write(
      "no loops yet: hedge loop add NAME --every 15m --agent command -- npm test\n",
    );
    return;
  }
  for (const { loop, last } of rows) {
    process.stdout.write(
      `${loop.name.padEnd(16)}  ${loop.state.padEnd(6)}  ${loop.adapter.padEnd(7)}  ${describeSchedule(loop)}  next ${nextOf(loop, now)}  last ${last ? `${last.status}${last.reason ? ` (${last.reason})` : ""}` : "-"}\n`,
    );
  }
}

/** `hedge loop show NAME`. */
export async function runLoopShow(name: string, options: { json: boolean }): Promise<void> {
  const { loop, runs } = await withLedger(async (ledger) => {
    const found = await ledger.requireLoop(name);
    return { loop: found, runs: await ledger.listRuns({ loopId: found.id, limit: 10 }) };
  });
  if (options.json) {
    process.stdout.write(
      `${JSON.stringify({ ...loop, nextSlot: nextOf(loop, Date.now()), runs })}\n`,
    );
    return;
  }
  const lines = [
    `${loop.name} (${loop.id}) ${loop.state}`,
    `  schedule  ${describeSchedule(loop)}   next ${nextOf(loop, Date.now())}`,
    `  agent     ${loop.adapter}${loop.profile ? ` (profile ${loop.profile})` : ""}${loop.viaGateway ? " via hedge's gateway (a models-only key per run)" : ""}`,
    `  cwd       ${loop.cwd}${loop.worktree ? " (fresh worktree per run)" : ""}`,
    `  ${loop.adapter === "command" ? "argv      " + JSON.stringify(loop.argv) : "prompt    " + (loop.prompt ?? "")}`,
    `  guards    missed ${loop.missed}, overlap ${loop.overlap}, timeout ${Math.round(loop.timeoutMs / 1000)}s${loop.maxTurns ? `, max turns ${loop.maxTurns}` : ""}${loop.budgetUsd ? `, budget $${loop.budgetUsd}` : ""}`,
    ...(loop.verifyArgv ? [`  verify    ${JSON.stringify(loop.verifyArgv)}`] : []),
    "  runs:",
    ...runs.map((run) => `    ${runLine(run, loop.name)}`),
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}

/** `hedge loop runs [NAME]`. */
export async function runLoopRuns(
  name: string | undefined,
  options: { json: boolean; limit: string },
): Promise<void> {
  const limit = Number(options.limit);
  if (!Number.isInteger(limit) || limit <= 0 || limit > 100_000) {
    throw new UsageError(`--limit ${JSON.stringify(options.limit)} must be a whole number from 1`, {
      hint: "--limit 50",
    });
  }
  const { runs, names } = await withLedger(async (ledger) => {
    const loop = name ? await ledger.requireLoop(name) : undefined;
    const names = new Map(
      (await ledger.listLoops({ includeRemoved: true })).map((l) => [
        l.id,
        l.name.split("#")[0] ?? l.name,
      ]),
    );
    return { runs: await ledger.listRuns({ ...(loop ? { loopId: loop.id } : {}), limit }), names };
  });
  if (options.json) {
    process.stdout.write(
      `${JSON.stringify(runs.map((run) => ({ ...run, loop: names.get(run.loopId) ?? null })))}\n`,
    );
    return;
  }
  if (runs.length === 0) {
    process.stdout.write("no runs yet\n");
    return;
  }
  for (const run of runs)
    process.stdout.write(`${runLine(run, names.get(run.loopId) ?? run.loopId)}\n`);
}
