// pnpm bench:gateway-cpu — CPU time the `hedge gateway serve` process spends per request (user +
// system, from /proc/PID/stat), for the small JSON and streaming bodies and the ~95 KB agent
// request (pass-through and translated). Unlike req/s this barely moves when other processes
// share the machine, so it compares two builds on a busy host. Linux only; one worker.
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Pool } from "undici";
import { chatAgentRequest, messagesAgentRequest } from "./agent-request.js";
import { benchHome, profileNames } from "./hedge-home.js";
import { startProcess, type Started } from "./processes.js";
import type { HeaderSet } from "./rate-limit-headers.js";

const requests = Number(process.env["BENCH_REQUESTS"] ?? 4000);
const connections = 8;
const headers = (process.env["BENCH_HEADERS"] ?? "openai") as HeaderSet;
const root = fileURLToPath(new URL("../../", import.meta.url));
/** HEDGE_BIN: another build of the CLI (to compare two builds on the same machine). */
const hedgeBin = process.env["HEDGE_BIN"] ?? join(root, "packages/cli/dist/hedge.js");
/** Clock ticks per second of /proc's utime and stime (USER_HZ, 100 on Linux). */
const ticksPerSecond = 100;
/** BENCH_KINDS=agent,json: only the kinds whose name holds one of these words. */
const only = process.env["BENCH_KINDS"]?.split(",");

function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name (which may hold spaces) start after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
}

async function run(
  pool: Pool,
  path: string,
  body: string,
  extra: Record<string, string>,
  count: number,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      next += 1;
      const response = await pool.request({
        method: "POST",
        path,
        headers: { "content-type": "application/json", ...extra },
        body,
      });
      await response.body.arrayBuffer();
      if (response.statusCode !== 200) throw new Error(`${path}: ${response.statusCode}`);
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
}

const started: Started[] = [];
const homes: string[] = [];
try {
  const upstream = await startProcess(
    process.execPath,
    ["--import", "tsx", join(root, "scripts/bench/fast-upstream.ts")],
    { RATE_LIMIT_HEADERS: headers },
    /listening (\d+)/,
  );
  started.push(upstream);
  const origin = `http://127.0.0.1:${upstream.match[1]}`;
  const prepared = benchHome({
    hedgeBin,
    homes,
    config: `[providers.fast]\ntype = "openai-compatible"\nbase_url = "${origin}/v1"\nwire = "chat"`,
    provider: "fast",
    profiles: profileNames(3),
    withKey: true,
  });
  const server = await startProcess(
    process.execPath,
    [
      // BENCH_CPU_PROF=DIR: a V8 CPU profile of the gateway, written there when it stops.
      ...(process.env["BENCH_CPU_PROF"]
        ? ["--cpu-prof", "--cpu-prof-dir", process.env["BENCH_CPU_PROF"]]
        : []),
      hedgeBin,
      "gateway",
      "serve",
      "--port",
      "0",
      "--workers",
      "1",
    ],
    { HEDGE_HOME: prepared.home },
    /listening on (http:\/\/\S+)/,
  );
  started.push(server);
  const pid = server.child?.pid as number;
  const pool = new Pool(server.match[1] as string, { connections });
  const auth = { authorization: `Bearer ${prepared.key as string}` };
  const anthropic = { ...auth, "anthropic-version": "2023-06-01" };
  const small = (stream: boolean): string =>
    JSON.stringify({
      model: "fast/bench-model",
      stream,
      messages: [{ role: "user", content: "Say ok." }],
    });
  const kinds: [string, string, string, Record<string, string>][] = (
    [
      ["json", "/v1/chat/completions", small(false), auth],
      ["stream", "/v1/chat/completions", small(true), auth],
      [
        "agent (pass-through)",
        "/v1/chat/completions",
        chatAgentRequest("fast/bench-model", false),
        auth,
      ],
      [
        "agent (translated)",
        "/v1/messages",
        messagesAgentRequest("fast/bench-model", false),
        anthropic,
      ],
    ] as [string, string, string, Record<string, string>][]
  ).filter(([name]) => !only || only.some((word) => name.includes(word)));
  console.log(
    `CPU of the gateway process per request, ${requests} requests each (${headers} headers)`,
  );
  for (const [name, path, body, extra] of kinds) {
    await run(pool, path, body, extra, Math.min(2000, requests)); // warm-up: JIT, pools, Store
    const before = cpuMs(pid);
    const began = performance.now();
    await run(pool, path, body, extra, requests);
    const used = cpuMs(pid) - before;
    const wall = performance.now() - began;
    console.log(
      `${name.padEnd(22)} ${((used * 1000) / requests).toFixed(1).padStart(6)} µs CPU/request  (${((requests * 1000) / wall).toFixed(0)} req/s wall, shared machine)`,
    );
  }
  await pool.close();
} finally {
  for (const process of started.reverse()) await process.stop();
  for (const dir of homes) rmSync(dir, { recursive: true, force: true });
}
