// pnpm bench:exec — `hedge exec` on a 5-step scripted task against the scripted upstream:
// wall time from process start until the first model request reaches the upstream, whole-run
// wall time, and peak RSS (VmHWM from /proc, sampled until exit). Several runs, median and worst.
// Then a one-reply task through hedge embedded, hedge remote and `codex exec` (exec-compare.ts).
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startScriptedUpstream, type ScriptReply } from "@hedge/testkit";
import { compareExec } from "./exec-compare.js";
import { machine, printTable, quantile } from "./table.js";

const runs = Number(process.env["BENCH_RUNS"] ?? 10);
const bin = fileURLToPath(new URL("../../packages/cli/dist/hedge.js", import.meta.url));
if (!existsSync(bin)) {
  console.error("bench:exec: packages/cli/dist/hedge.js is missing; run `npm run setup` first");
  process.exit(1);
}

const patch = [
  "*** Begin Patch",
  "*** Update File: src/math.js",
  "@@",
  "-  return a - b;",
  "+  return a + b;",
  "*** End Patch",
].join("\n");
const task: ScriptReply[] = [
  { toolCalls: [{ name: "list_dir", arguments: { path: "." } }] },
  { toolCalls: [{ name: "read_file", arguments: { path: "src/math.js" } }] },
  { toolCalls: [{ name: "apply_patch", arguments: { input: patch } }] },
  { toolCalls: [{ name: "shell", arguments: { command: ["node", "test.js"] } }] },
  { text: "Fixed add(); the test passes." },
];

const upstream = await startScriptedUpstream();
const work = mkdtempSync(join(tmpdir(), "hedge-bench-exec-"));
const home = join(work, "home");
mkdirSync(home);
writeFileSync(
  join(home, "config.toml"),
  `credentials_store = "file"\nmodel = "lab/coder"\n[providers.lab]\nbase_url = "${upstream.url}/v1"\nwire = "chat"\n`,
);
// A logged-in api-key profile, as users run it (the file store: no keychain daemon needed).
execFileSync(process.execPath, [bin, "auth", "login", "--provider", "lab", "--profile", "work"], {
  env: { PATH: process.env["PATH"], HEDGE_HOME: home, HOME: home },
  input: "sk-bench-profile-0123456789abcdef\n",
  stdio: ["pipe", "ignore", "inherit"],
});

interface Sample {
  firstRequestMs: number;
  wallMs: number;
  peakRssMb: number;
}

async function once(index: number): Promise<Sample> {
  const repo = join(work, `repo-${index}`);
  mkdirSync(join(repo, "src"), { recursive: true });
  writeFileSync(join(repo, "src", "math.js"), "export function add(a, b) {\n  return a - b;\n}\n");
  writeFileSync(
    join(repo, "test.js"),
    'import { add } from "./src/math.js";\nif (add(2, 3) !== 5) process.exit(1);\n',
  );
  writeFileSync(join(repo, "package.json"), '{ "type": "module" }\n');
  execFileSync("git", ["init", "-q"], { cwd: repo });
  upstream.reset({ replies: task });
  const started = Date.now();
  const child = spawn(
    process.execPath,
    [bin, "exec", "--json", "--no-qa", "fix the failing test"],
    {
      cwd: repo,
      env: { PATH: process.env["PATH"], HEDGE_HOME: home, HOME: home },
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  let peakKb = 0;
  const sampler = setInterval(() => {
    try {
      const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
      const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
      if (hwm) peakKb = Math.max(peakKb, Number(hwm[1]));
    } catch {
      // the process has exited
    }
  }, 5);
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  clearInterval(sampler);
  const wallMs = Date.now() - started;
  if (code !== 0) throw new Error(`hedge exec exited ${code}: ${stderr}`);
  const first = upstream.requests[0];
  if (!first || upstream.requests.length !== task.length) {
    throw new Error(`expected ${task.length} model requests, saw ${upstream.requests.length}`);
  }
  return { firstRequestMs: first.receivedAt.getTime() - started, wallMs, peakRssMb: peakKb / 1024 };
}

try {
  await once(-1); // warm the file cache
  const samples: Sample[] = [];
  for (let index = 0; index < runs; index += 1) samples.push(await once(index));
  const column = (pick: (sample: Sample) => number): number[] =>
    samples.map(pick).sort((a, b) => a - b);
  const first = column((sample) => sample.firstRequestMs);
  const wall = column((sample) => sample.wallMs);
  const rss = column((sample) => sample.peakRssMb);
  console.log(
    `machine: ${machine()}; ${runs} runs of a 5-step task (list_dir, read_file, apply_patch, shell, answer)`,
  );
  printTable(
    ["metric", "median", "p90", "max"],
    [
      [
        "process start -> first model request (ms)",
        quantile(first, 0.5).toFixed(0),
        quantile(first, 0.9).toFixed(0),
        (first.at(-1) ?? 0).toFixed(0),
      ],
      [
        "whole run, 5 model calls (ms)",
        quantile(wall, 0.5).toFixed(0),
        quantile(wall, 0.9).toFixed(0),
        (wall.at(-1) ?? 0).toFixed(0),
      ],
      [
        "peak RSS (MB)",
        quantile(rss, 0.5).toFixed(1),
        quantile(rss, 0.9).toFixed(1),
        (rss.at(-1) ?? 0).toFixed(1),
      ],
    ],
  );
  await compareExec({ hedgeBin: bin, upstream, work, runs });
} finally {
  await upstream.close();
  rmSync(work, { recursive: true, force: true });
}
