// The one-reply comparison of `pnpm bench:exec`: the same task ("say done", one scripted answer
// with OpenAI's rate-limit headers) on the same upstream (Responses API) through three commands,
// interleaved run by run:
//   hedge exec, embedded   — a logged-in api-key profile, the gateway in-process;
//   hedge exec, remote     — `--gateway URL` to `hedge gateway serve` (same profile, gateway key);
//   codex exec             — Codex CLI straight to the upstream.
// Measured: process start -> the first model request at the upstream, whole run, and the peak
// RSS of the whole process tree (VmRSS summed over the tree, sampled every 5 ms).
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { openAiRateLimitHeaders, type ScriptedUpstream } from "@hedge/testkit";
import { startProcess, type Started } from "./processes.js";
import { printTable, quantile } from "./table.js";

const codexBin = fileURLToPath(
  new URL("../../packages/cli/node_modules/.bin/codex", import.meta.url),
);

export interface CompareSample {
  firstRequestMs: number;
  wallMs: number;
  peakRssMb: number;
}

interface Target {
  name: string;
  command: string;
  args: readonly string[];
  env: NodeJS.ProcessEnv;
}

/** The PIDs of a process and all its descendants (from /proc's children lists). */
function tree(pid: number): number[] {
  const all = [pid];
  for (let index = 0; index < all.length; index += 1) {
    try {
      const children = readFileSync(`/proc/${all[index]}/task/${all[index]}/children`, "utf8");
      for (const child of children.split(" ").filter(Boolean)) all.push(Number(child));
    } catch {
      // exited between reads
    }
  }
  return all;
}

function treeRssKb(pid: number): number {
  let total = 0;
  for (const member of tree(pid)) {
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${member}/status`, "utf8"));
      if (match) total += Number(match[1]);
    } catch {
      // exited between reads
    }
  }
  return total;
}

const REPLY_PATH = "/v1/responses";

async function runOnce(
  target: Target,
  upstream: ScriptedUpstream,
  cwd: string,
): Promise<CompareSample> {
  upstream.reset({
    replies: [
      {
        text: "done",
        usage: { inputTokens: 1200, outputTokens: 3 },
        headers: openAiRateLimitHeaders({
          requests: { limit: 10_000, remaining: 9_000, resetMs: 6_000 },
          tokens: { limit: 2_000_000, remaining: 1_900_000, resetMs: 3_000 },
        }),
      },
    ],
  });
  const started = Date.now();
  const child = spawn(target.command, target.args, {
    cwd,
    env: target.env,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  let peakKb = 0;
  const sampler = setInterval(() => {
    if (child.pid) peakKb = Math.max(peakKb, treeRssKb(child.pid));
  }, 5);
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  clearInterval(sampler);
  const wallMs = Date.now() - started;
  const first = upstream.requestsTo(REPLY_PATH)[0];
  if (code !== 0 || !first) {
    throw new Error(
      `${target.name} exited ${code} (${first ? "" : "no model request; "}${stderr})`,
    );
  }
  return { firstRequestMs: first.receivedAt.getTime() - started, wallMs, peakRssMb: peakKb / 1024 };
}

/**
 * Runs the comparison in `work` against `upstream`; `hedgeBin` is the built binary. Prints the
 * table and returns the samples by target.
 */
export async function compareExec(options: {
  hedgeBin: string;
  upstream: ScriptedUpstream;
  work: string;
  runs: number;
}): Promise<Map<string, CompareSample[]>> {
  const { hedgeBin, upstream, work, runs } = options;
  const base = { PATH: process.env["PATH"] ?? "/usr/bin:/bin", NO_COLOR: "1" };
  const serverHome = join(work, "server-home");
  const clientHome = join(work, "client-home");
  const codexHome = join(work, "codex-home");
  const repo = join(work, "one-reply-repo");
  for (const dir of [serverHome, clientHome, codexHome, repo]) mkdirSync(dir, { recursive: true });
  execFileSync("git", ["init", "-q"], { cwd: repo });
  writeFileSync(join(repo, "README.md"), "# one reply\n");

  // The embedded command runs in the server's home: the same logged-in profile as the gateway.
  writeFileSync(
    join(serverHome, "config.toml"),
    [
      'credentials_store = "file"',
      'model = "lab/gpt-5"',
      "[providers.lab]",
      'type = "openai-compatible"',
      'wire = "responses"',
      `base_url = "${upstream.url}/v1"`,
      "",
    ].join("\n"),
  );
  const serverEnv = { ...base, HEDGE_HOME: serverHome, HOME: serverHome };
  execFileSync(
    process.execPath,
    [hedgeBin, "auth", "login", "--provider", "lab", "--profile", "work"],
    {
      env: serverEnv,
      input: "sk-bench-profile-0123456789abcdef\n",
      stdio: ["pipe", "ignore", "inherit"],
    },
  );
  const key = (
    JSON.parse(
      execFileSync(
        process.execPath,
        [hedgeBin, "gateway", "key", "create", "--name", "bench", "--json"],
        {
          env: serverEnv,
          encoding: "utf8",
        },
      ),
    ) as { key: string }
  ).key;
  const gateway: Started & { match: RegExpExecArray } = await startProcess(
    process.execPath,
    [hedgeBin, "gateway", "serve", "--port", "0", "--workers", "1"],
    serverEnv,
    /listening on (http:\/\/\S+)/,
  );
  const gatewayUrl = gateway.match[1] ?? "";
  writeFileSync(join(clientHome, "config.toml"), 'model = "lab/gpt-5"\n');
  writeFileSync(
    join(codexHome, "config.toml"),
    [
      'model_provider = "bench"',
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
      "",
    ].join("\n"),
  );
  const prompt = "say done";
  const targets: Target[] = [
    {
      name: "hedge exec (embedded)",
      command: process.execPath,
      args: [hedgeBin, "exec", "--json", "--no-qa", prompt],
      env: serverEnv,
    },
    {
      name: "hedge exec --gateway (remote)",
      command: process.execPath,
      args: [hedgeBin, "exec", "--json", "--no-qa", "--gateway", gatewayUrl, prompt],
      env: { ...base, HEDGE_HOME: clientHome, HOME: clientHome, HEDGE_GATEWAY_KEY: key },
    },
    {
      name: "codex exec",
      command: codexBin,
      args: ["exec", "--skip-git-repo-check", "--json", "-m", "gpt-5", prompt],
      env: { ...base, HOME: codexHome, CODEX_HOME: codexHome, BENCH_KEY: "sk-bench" },
    },
  ];
  const samples = new Map<string, CompareSample[]>(targets.map((target) => [target.name, []]));
  try {
    for (const target of targets) await runOnce(target, upstream, repo); // warm caches
    for (let index = 0; index < runs; index += 1) {
      for (const target of targets) {
        samples.get(target.name)?.push(await runOnce(target, upstream, repo));
      }
    }
  } finally {
    await gateway.stop();
  }
  const codexVersion = execFileSync(codexBin, ["--version"], { encoding: "utf8" }).trim();
  console.log(
    `\none-reply task, ${runs} interleaved runs each; ${codexVersion}; upstream answers with OpenAI rate-limit headers`,
  );
  const rows = targets.map((target) => {
    const list = samples.get(target.name) ?? [];
    const sorted = (pick: (sample: CompareSample) => number): number[] =>
      list.map(pick).sort((a, b) => a - b);
    const first = sorted((sample) => sample.firstRequestMs);
    const wall = sorted((sample) => sample.wallMs);
    const rss = sorted((sample) => sample.peakRssMb);
    return [
      target.name,
      quantile(first, 0.5).toFixed(0),
      quantile(first, 0.9).toFixed(0),
      quantile(wall, 0.5).toFixed(0),
      quantile(rss, 0.5).toFixed(1),
    ];
  });
  printTable(
    [
      "command",
      "start -> first request p50 (ms)",
      "p90 (ms)",
      "whole run p50 (ms)",
      "peak RSS (MB)",
    ],
    rows,
  );
  return samples;
}
