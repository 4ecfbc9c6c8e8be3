// pnpm bench:tui — the interactive session in a real terminal (a tmux pane, 100×30) against the
// scripted upstream, built binary only:
//   1. startup: spawn → composer on screen (seen from outside, capture-pane polled) and process
//      start → first frame (HEDGE_TUI_TRACE), then a typed key echoed;
//   2. key → frame while an answer streams (~200 chunks/s): the trace's key arrival to the first
//      frame rendered after it, keys 20–60 ms apart;
//   3. the same with a 2,000-cell transcript (a resumed session), plus its resume time (spawn →
//      composer, and CPU ms to the first frame), the time to append a turn after it, frame render
//      times, bytes per frame and full-screen clears (ink's full-redraw path: must be 0);
//   4. RSS over a simulated hour of turns, time-compressed: BENCH_TURNS (default 120, one turn
//      every 30 s for an hour) scripted turns back to back, RSS sampled after a warm-up of 5
//      turns and every 20 turns after.
// Codex CLI (the pinned @openai/codex) runs the same startup measure in the same pane size
// against the same scripted upstream: spawn → its composer visible, and a typed key echoed.
// The in-process trace attributes latency; it does not include the terminal's own drawing.
// CPU ms come from the trace (process.cpuUsage at the first frame): a loaded machine stretches
// wall times, much less CPU time. BENCH_SHORT=1: a few runs of each, to check the bench works.
// BENCH_NODE_OPTIONS is passed to hedge as NODE_OPTIONS, e.g. "--max-old-space-size=80" to tell
// memory the session holds from garbage V8 has not yet collected (RSS flat with a capped heap).
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { SessionFile } from "@hedge/core";
import { makeTempDir, makeTempHome, startScriptedUpstream, TmuxTerminal } from "@hedge/testkit";
import { machine, printTable, quantile } from "./table.js";

const bin = fileURLToPath(new URL("../../packages/cli/dist/hedge.js", import.meta.url));
if (!existsSync(bin)) {
  console.error("bench:tui: packages/cli/dist/hedge.js is missing; run `npm run build` first");
  process.exit(1);
}
const codexBin = fileURLToPath(
  new URL("../../packages/cli/node_modules/.bin/codex", import.meta.url),
);
const SHORT = process.env["BENCH_SHORT"] === "1";
const STARTUP_RUNS = Number(process.env["BENCH_RUNS"] ?? (SHORT ? 2 : 10));
const CELLS = 2000;
const RSS_TURNS = Number(process.env["BENCH_TURNS"] ?? (SHORT ? 10 : 120));

const upstream = await startScriptedUpstream();
const home = await makeTempHome();
const repo = await makeTempDir("hedge-bench-tui-");
writeFileSync(
  join(home.path, "config.toml"),
  [
    'model = "lab/coder"',
    "[qa]",
    "enabled = false",
    "[providers.lab]",
    `base_url = "${upstream.url}/v1"`,
    'wire = "chat"',
  ].join("\n"),
);
execFileSync("git", ["init", "-q"], { cwd: repo.path });
const codexHome = join(home.path, "codex-home");
mkdirSync(codexHome);
writeFileSync(
  join(codexHome, "config.toml"),
  [
    'model_provider = "bench"',
    'model = "gpt-5"',
    "check_for_update_on_startup = false",
    "[analytics]",
    "enabled = false",
    "[features]",
    "plugins = false",
    "apps = false",
    "[model_providers.bench]",
    'name = "scripted upstream"',
    `base_url = "${upstream.url}/v1"`,
    'wire_api = "responses"',
    'env_key = "BENCH_KEY"',
    "request_max_retries = 0",
    "stream_max_retries = 0",
    "supports_websockets = false",
    // The repository is trusted, as hedge's is: no trust prompt before the composer.
    `[projects.${JSON.stringify(realpathSync(repo.path))}]`,
    'trust_level = "trusted"',
    "",
  ].join("\n"),
);
const hasCodex = existsSync(codexBin);
const traces = join(home.path, "traces");
mkdirSync(traces);
let traceCount = 0;

function open(args: string[] = []): { terminal: TmuxTerminal; trace: string; output: string } {
  traceCount += 1;
  const trace = join(traces, `trace-${traceCount}.jsonl`);
  const output = join(traces, `output-${traceCount}.bin`);
  const terminal = TmuxTerminal.start({
    command: `exec ${JSON.stringify(process.execPath)} ${JSON.stringify(bin)} ${args.join(" ")}`,
    cwd: repo.path,
    env: {
      PATH: process.env["PATH"],
      LANG: "C.UTF-8",
      HOME: home.path,
      HEDGE_HOME: home.path,
      HEDGE_TUI_TRACE: trace,
      ...(process.env["BENCH_NODE_OPTIONS"]
        ? { NODE_OPTIONS: process.env["BENCH_NODE_OPTIONS"] }
        : {}),
    },
  });
  return { terminal, trace, output };
}

interface TraceEntry {
  t: string;
  cpu?: number;
  received?: number;
  handled?: number;
  at?: number;
  render?: number;
}
function readTrace(path: string): TraceEntry[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as TraceEntry);
}

/** Key arrival to the end of the first frame rendered after the key was handled. */
function keyLatencies(entries: readonly TraceEntry[], from = 0): number[] {
  const frames = entries.filter((entry) => entry.t === "frame" && (entry.at ?? 0) >= from);
  const latencies: number[] = [];
  for (const key of entries) {
    if (key.t !== "key" || (key.received ?? 0) < from) continue;
    const frame = frames.find((entry) => (entry.at ?? 0) >= (key.handled ?? 0));
    if (frame) latencies.push((frame.at ?? 0) - (key.received ?? 0));
  }
  return latencies.sort((a, b) => a - b);
}

const stats = (values: number[]): string[] => {
  const sorted = [...values].sort((a, b) => a - b);
  return [
    String(sorted.length),
    quantile(sorted, 0.5).toFixed(1),
    quantile(sorted, 0.99).toFixed(1),
    (sorted.at(-1) ?? Number.NaN).toFixed(1),
  ];
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

const loadBefore = os.loadavg()[0] ?? 0;

// 1. Startup, hedge and Codex interleaved.
const startupOutside: number[] = [];
const startupFirstFrame: number[] = [];
const startupCpu: number[] = [];
const startupInteractive: number[] = [];
const codexOutside: number[] = [];
const codexInteractive: number[] = [];
for (let run = -1; run < STARTUP_RUNS; run += 1) {
  const started = performance.now();
  const { terminal, trace } = open();
  await terminal.waitFor(/Ask hedge to do something/, 20_000);
  const visible = performance.now() - started;
  terminal.type("x");
  await terminal.waitFor(/^› x/m, 20_000);
  const interactive = performance.now() - started;
  terminal.kill();
  await sleep(100);
  if (hasCodex) {
    const codexStarted = performance.now();
    const codex = TmuxTerminal.start({
      command: `exec ${JSON.stringify(codexBin)}`,
      cwd: repo.path,
      env: {
        PATH: process.env["PATH"],
        LANG: "C.UTF-8",
        TERM: "xterm-256color",
        HOME: codexHome,
        CODEX_HOME: codexHome,
        BENCH_KEY: "sk-bench",
      },
    });
    await codex.waitFor(/Ask Codex to do anything/, 30_000);
    const codexVisible = performance.now() - codexStarted;
    codex.type("x");
    await codex.waitFor(/^› x/m, 20_000);
    const codexTyped = performance.now() - codexStarted;
    codex.kill();
    await sleep(100);
    if (run >= 0) {
      codexOutside.push(codexVisible);
      codexInteractive.push(codexTyped);
    }
  }
  if (run < 0) continue; // warm-up
  startupOutside.push(visible);
  startupInteractive.push(interactive);
  const firstFrame = readTrace(trace).find((entry) => entry.t === "frame");
  if (firstFrame?.at !== undefined) startupFirstFrame.push(firstFrame.at);
  if (firstFrame?.cpu !== undefined) startupCpu.push(firstFrame.cpu);
}

// 2 and 3: key to frame while an answer streams, in a fresh session and with 2,000 cells.
const WORDS = Number(process.env["BENCH_WORDS"] ?? (SHORT ? 300 : 2000));
const streamed = Array.from({ length: WORDS }, (_, index) =>
  index % 40 === 39 ? `word${index}.\n\n` : `word${index}`,
).join(" ");

async function streamWithKeys(
  terminal: TmuxTerminal,
  trace: string,
  output: string,
): Promise<{ keys: number[]; renders: number[]; frames: number; bytes: number; clears: number }> {
  terminal.pipeOutput(output);
  upstream.push({ text: `${streamed} END-OF-STREAM`, chunkIntervalMs: 5 });
  terminal.type("stream please");
  terminal.press("Enter");
  await terminal.waitFor(/word1\d/, 30_000);
  const start = readTrace(trace).at(-1)?.at ?? 0;
  let typed = 0;
  for (;;) {
    await sleep(20 + Math.random() * 40);
    terminal.type("k");
    typed += 1;
    if (typed % 20 === 0 && /END-OF-STREAM/.test(terminal.screen())) break;
    if (typed > 2000) break;
  }
  await sleep(500);
  const entries = readTrace(trace);
  const frames = entries.filter((entry) => entry.t === "frame" && (entry.at ?? 0) >= start);
  const written = existsSync(output) ? readFileSync(output, "latin1") : "";
  return {
    keys: keyLatencies(entries, start),
    renders: frames.map((entry) => entry.render ?? 0),
    frames: frames.length,
    bytes: written.length,
    clears: written.split("\x1b[2J").length - 1,
  };
}

const fresh = open();
await fresh.terminal.waitFor(/Ask hedge to do something/, 20_000);
const freshRun = await streamWithKeys(fresh.terminal, fresh.trace, fresh.output);
fresh.terminal.kill();

// A session of 2,000 cells: 400 turns of prompt, command, answer, command, answer.
const session = SessionFile.create(home.path, { cwd: repo.path, model: "lab/coder" });
for (let turn = 0; turn < CELLS / 5; turn += 1) {
  const id = `bench-input-${turn}`;
  session.appendMessage(
    { role: "user", content: [{ type: "text", text: `turn ${turn}: fix it` }] },
    [id],
  );
  session.appendEvent({ type: "input.delivered", ids: [id], via: "turn_start" });
  for (let step = 0; step < 2; step += 1) {
    session.appendEvent({
      type: "item.completed",
      item: {
        id: `cmd_${turn}_${step}`,
        type: "command_execution",
        command: "pnpm test",
        aggregated_output: Array.from({ length: 12 }, (_, line) => `line ${line}`).join("\n"),
        exit_code: 0,
        status: "completed",
      },
    });
    session.appendEvent({
      type: "item.completed",
      item: {
        id: `msg_${turn}_${step}`,
        type: "agent_message",
        text: `Step ${step} of turn ${turn}: changed \`src/a.ts\`.\n\n\`\`\`ts\nexport const a = ${turn};\n\`\`\``,
      },
    });
  }
}
session.close();
const resumeStarted = performance.now();
const big = open(["resume", "--last"]);
await big.terminal.waitFor(/Ask hedge to do something/, 60_000);
const resumeMs = performance.now() - resumeStarted;
await sleep(300);
const resumeFrame = readTrace(big.trace).find((entry) => entry.t === "frame");
// Appending after the resume: Enter → the scripted answer on screen.
upstream.push({ text: "appended-after-resume" });
const appendStarted = performance.now();
big.terminal.type("append one");
big.terminal.press("Enter");
await big.terminal.waitFor(/appended-after-resume/, 30_000);
const appendMs = performance.now() - appendStarted;
const bigRun = await streamWithKeys(big.terminal, big.trace, big.output);
big.terminal.kill();

// 4. RSS over a simulated hour of turns (time-compressed: the turns run back to back).
const rss = open();
await rss.terminal.waitFor(/Ask hedge to do something/, 20_000);
const pid = rss.terminal.pid();
await sleep(500);
const rssStart = rssMb(pid);
const rssSamples: [number, number][] = [];
const answer = Array.from({ length: 300 }, (_, index) => `w${index}`).join(" ");
const WARM_UP = Math.min(5, RSS_TURNS);
for (let turn = 0; turn < RSS_TURNS; turn += 1) {
  upstream.push({ text: `${answer} done-${turn}` });
  rss.terminal.type(`turn ${turn}`);
  rss.terminal.press("Enter");
  await rss.terminal.waitFor(new RegExp(`done-${turn}\\b`), 30_000);
  const done = turn + 1;
  if (done === WARM_UP || (done > WARM_UP && (done - WARM_UP) % 20 === 0) || done === RSS_TURNS)
    rssSamples.push([done, rssMb(pid)]);
}
await sleep(500);
const rssAfter = rssMb(pid);
const rssWarm = rssSamples[0]?.[1] ?? rssStart;
rss.terminal.kill();

const loadAfter = os.loadavg()[0] ?? 0;
await upstream.close();
await home.cleanup();
await repo.cleanup();

console.log(`machine: ${machine()}`);
const noisy = Math.max(loadBefore, loadAfter) > 0.5 * os.cpus().length;
console.log(
  `load1 before ${loadBefore.toFixed(2)}, after ${loadAfter.toFixed(2)}${noisy ? " (noisy: load above half the cores)" : ""}`,
);
console.log("\nstartup (ms)");
printTable(
  ["measure", "runs", "p50", "p99", "max"],
  [
    ["spawn → composer visible (tmux, outside)", ...stats(startupOutside)],
    ["process start → first frame (trace)", ...stats(startupFirstFrame)],
    ["spawn → typed key echoed", ...stats(startupInteractive)],
    ["CPU ms at the first frame (trace)", ...stats(startupCpu)],
    ...(hasCodex
      ? [
          ["Codex CLI: spawn → composer visible (tmux, outside)", ...stats(codexOutside)],
          ["Codex CLI: spawn → typed key echoed", ...stats(codexInteractive)],
        ]
      : []),
  ],
);
if (hasCodex) console.log(execFileSync(codexBin, ["--version"], { encoding: "utf8" }).trim());
console.log("\nkey → frame while streaming ~200 chunks/s (ms, in-process trace)");
printTable(
  ["transcript", "keys", "p50", "p99", "max"],
  [
    ["fresh session", ...stats(freshRun.keys)],
    [`${CELLS} cells (resumed)`, ...stats(bigRun.keys)],
  ],
);
console.log("\nframe render time while streaming (ms, ink onRender)");
printTable(
  ["transcript", "frames", "p50", "p99", "max"],
  [
    ["fresh session", ...stats(freshRun.renders)],
    [`${CELLS} cells (resumed)`, ...stats(bigRun.renders)],
  ],
);
console.log("\nterminal output while streaming (tmux pipe-pane)");
printTable(
  ["transcript", "frames", "bytes per frame", "full-screen clears"],
  [freshRun, bigRun].map((run, index) => [
    index === 0 ? "fresh session" : `${CELLS} cells (resumed)`,
    String(run.frames),
    (run.bytes / Math.max(1, run.frames)).toFixed(0),
    String(run.clears),
  ]),
);
console.log(
  `\nhedge resume of a ${CELLS}-cell session → composer visible: ${resumeMs.toFixed(0)} ms` +
    ` (CPU ${resumeFrame?.cpu?.toFixed(0) ?? "?"} ms at the first frame); a turn appended after it: ${appendMs.toFixed(0)} ms`,
);
console.log(
  `RSS over ${RSS_TURNS} turns back to back (an hour of one turn every 30 s, time-compressed): ` +
    `${rssStart.toFixed(1)} MB at start, ${rssWarm.toFixed(1)} MB after ${WARM_UP} warm-up turns, ` +
    `${rssAfter.toFixed(1)} MB at the end (${(((rssAfter - rssWarm) / Math.max(1, RSS_TURNS - WARM_UP)) * 100).toFixed(2)} MB per 100 turns after warm-up)`,
);
console.log(
  `  samples (turns: MB): ${rssSamples.map(([turn, mb]) => `${turn}: ${mb.toFixed(1)}`).join(", ")}`,
);
