// pnpm bench:gateway — the gateway against a minimal fast upstream on loopback, in one run:
// direct to the upstream, through `hedge gateway serve`, and through Portkey's open-source
// gateway pointed at the same upstream. Only 2xx responses count, and each run must be seen by
// the upstream (its request counter), else the run is reported invalid. Then the usage
// heartbeat: three rate-limited profiles under steady load (BENCH_ONLY=usage runs only that).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { fixedRate, throughput, type Target } from "./load.js";
import { startProcess, type Started } from "./processes.js";
import { machine, printTable } from "./table.js";
import { usageHeartbeatBench } from "./usage-run.js";

const seconds = Number(process.env["BENCH_SECONDS"] ?? 10);
/** Throughput runs are split into this many interleaved rounds per target (median reported). */
const rounds = Number(process.env["BENCH_ROUNDS"] ?? 3);
const roundSeconds = Number(process.env["BENCH_ROUND_SECONDS"] ?? 5);
const rate = Number(process.env["BENCH_RATE"] ?? 500);
const connections = 16;
const root = fileURLToPath(new URL("../../", import.meta.url));
const hedgeBin = join(root, "packages/cli/dist/hedge.js");
const require = createRequire(import.meta.url);
const portkeyBin = join(
  dirname(require.resolve("@portkey-ai/gateway/package.json")),
  "build/start-server.js",
);

const started: Started[] = [];
const home = mkdtempSync(join(tmpdir(), "hedge-bench-"));
const homes = [home];
if (process.env["BENCH_ONLY"] === "usage") {
  try {
    console.log(`machine: ${machine()}`);
    await usageHeartbeatBench({ hedgeBin, started, homes });
  } finally {
    for (const process of started.reverse()) await process.stop();
    for (const dir of homes) rmSync(dir, { recursive: true, force: true });
  }
  process.exit(0);
}
try {
  const upstream = await startProcess(
    process.execPath,
    ["--import", "tsx", join(root, "scripts/bench/fast-upstream.ts")],
    {},
    /listening (\d+)/,
  );
  started.push(upstream);
  const upstreamOrigin = `http://127.0.0.1:${upstream.match[1]}`;
  writeFileSync(
    join(home, "config.toml"),
    `[providers.fast]\ntype = "openai-compatible"\nbase_url = "${upstreamOrigin}/v1"\nwire = "chat"\n`,
  );
  const hedge = await startProcess(
    process.execPath,
    [hedgeBin, "gateway", "serve", "--port", "0"],
    { HEDGE_HOME: home },
    /listening on (http:\/\/\S+)/,
  );
  started.push(hedge);
  const portkeyPort = 18787 + Math.floor(Math.random() * 1000);
  const portkey = await startProcess(
    process.execPath,
    [portkeyBin, `--port=${portkeyPort}`, "--headless"],
    { NODE_ENV: "production" },
    /running at|Ready for connections/,
  );
  started.push(portkey);

  const body = (stream: boolean, model: string): string =>
    JSON.stringify({ model, stream, messages: [{ role: "user", content: "Say ok." }] });
  const targets = (stream: boolean): Target[] => [
    {
      name: "direct",
      origin: upstreamOrigin,
      path: "/v1/chat/completions",
      headers: {},
      body: body(stream, "bench-model"),
    },
    {
      name: "hedge",
      origin: hedge.match[1] as string,
      path: "/v1/chat/completions",
      headers: {},
      body: body(stream, "fast/bench-model"),
    },
    {
      // Anthropic Messages in, Chat Completions upstream: the translation path.
      name: "hedge (translated)",
      origin: hedge.match[1] as string,
      path: "/v1/messages",
      headers: { "anthropic-version": "2023-06-01" },
      body: JSON.stringify({
        model: "fast/bench-model",
        stream,
        max_tokens: 16,
        messages: [{ role: "user", content: "Say ok." }],
      }),
    },
    {
      name: "portkey",
      origin: `http://127.0.0.1:${portkeyPort}`,
      path: "/v1/chat/completions",
      headers: {
        "x-portkey-provider": "openai",
        "x-portkey-custom-host": `${upstreamOrigin}/v1`,
        authorization: "Bearer bench-not-a-key",
      },
      body: body(stream, "bench-model"),
    },
  ];
  const upstreamCount = async (): Promise<number> =>
    Number(await (await fetch(`${upstreamOrigin}/count`)).text());

  console.log(`machine: ${machine()}`);
  console.log(
    `throughput: ${connections} connections, ${rounds} interleaved rounds of ${roundSeconds} s per target (median); latency: ${rate} req/s open loop, ${seconds} s each\n`,
  );
  const rows: string[][] = [];
  const latencyRows: string[][] = [];
  // Warm every target up (JIT, connection pools, the state database) before measuring.
  for (const stream of [false, true]) {
    for (const target of targets(stream)) await throughput(target, connections, 2);
  }
  for (const stream of [false, true]) {
    const kind = stream ? "stream" : "json";
    const direct: Record<string, number> = {};
    // Rounds interleave the targets so drift on this shared machine hits them all alike; each
    // target's row is its median round. Every round must be valid for the row to be.
    const perTarget = new Map<
      string,
      { rates: number[]; non2xx: number; errors: number; reached: number; ok: number }
    >();
    for (let round = 0; round < rounds; round += 1) {
      for (const target of targets(stream)) {
        const before = await upstreamCount();
        const result = await throughput(target, connections, roundSeconds);
        const reached = (await upstreamCount()) - before;
        const entry = perTarget.get(target.name) ?? {
          rates: [],
          non2xx: 0,
          errors: 0,
          reached: 0,
          ok: 0,
        };
        entry.rates.push(result.requestsPerSecond);
        entry.non2xx += result.non2xx;
        entry.errors += result.errors;
        entry.reached += reached;
        entry.ok += result.ok;
        perTarget.set(target.name, entry);
      }
    }
    for (const [name, entry] of perTarget) {
      const valid = entry.non2xx === 0 && entry.errors === 0 && entry.reached >= entry.ok;
      const sorted = [...entry.rates].sort((a, b) => a - b);
      rows.push([
        kind,
        name,
        (sorted[Math.floor(sorted.length / 2)] ?? 0).toFixed(0),
        String(entry.non2xx),
        String(entry.errors),
        String(entry.reached),
        valid ? "valid" : "INVALID",
      ]);
    }
    for (const target of targets(stream)) {
      const before = await upstreamCount();
      const latency = await fixedRate(target, rate, seconds, stream ? "first-byte" : "end");
      const reached = (await upstreamCount()) - before;
      if (target.name === "direct") Object.assign(direct, { p50: latency.p50, p99: latency.p99 });
      const valid = latency.failed === 0 && reached >= latency.ok;
      latencyRows.push([
        kind,
        target.name,
        stream ? "TTFB" : "full",
        latency.p50.toFixed(3),
        latency.p99.toFixed(3),
        target.name === "direct" ? "-" : (latency.p50 - (direct["p50"] ?? 0)).toFixed(3),
        target.name === "direct" ? "-" : (latency.p99 - (direct["p99"] ?? 0)).toFixed(3),
        valid ? "valid" : `INVALID (${latency.failed} failed)`,
      ]);
    }
  }
  // Failover: a route whose upstream fails 30% of requests (503), with a healthy fallback.
  const flaky = await startProcess(
    process.execPath,
    ["--import", "tsx", join(root, "scripts/bench/fast-upstream.ts")],
    { FAIL_RATE: "0.3" },
    /listening (\d+)/,
  );
  started.push(flaky);
  const failoverHome = mkdtempSync(join(tmpdir(), "hedge-bench-failover-"));
  homes.push(failoverHome);
  writeFileSync(
    join(failoverHome, "config.toml"),
    [
      "[providers.flaky]",
      `base_url = "http://127.0.0.1:${flaky.match[1]}/v1"`,
      'wire = "chat"',
      "[providers.steady]",
      `base_url = "${upstreamOrigin}/v1"`,
      'wire = "chat"',
      '[routing.models."flaky/bench-model"]',
      'fallbacks = ["steady/bench-model"]',
    ].join("\n"),
  );
  const failover = await startProcess(
    process.execPath,
    [hedgeBin, "gateway", "serve", "--port", "0"],
    { HEDGE_HOME: failoverHome },
    /listening on (http:\/\/\S+)/,
  );
  started.push(failover);
  const failoverTarget: Target = {
    name: "hedge, 30% failing route + fallback",
    origin: failover.match[1] as string,
    path: "/v1/chat/completions",
    headers: {},
    body: body(false, "flaky/bench-model"),
  };
  const flakyCount = async (): Promise<number> =>
    Number(await (await fetch(`http://127.0.0.1:${flaky.match[1]}/count`)).text());
  const flakyBefore = await flakyCount();
  const failoverLoad = await throughput(failoverTarget, connections, seconds);
  const flakySaw = (await flakyCount()) - flakyBefore;
  const failoverLatency = await fixedRate(failoverTarget, rate, seconds, "end");
  const healthyLatency = latencyRows.find((row) => row[0] === "json" && row[1] === "hedge");
  const total = failoverLoad.ok + failoverLoad.non2xx + failoverLoad.errors;
  const failoverRows = [
    [
      "closed loop, 16 conn",
      failoverLoad.requestsPerSecond.toFixed(0),
      `${((failoverLoad.ok / Math.max(1, total)) * 100).toFixed(3)}%`,
      String(failoverLoad.non2xx + failoverLoad.errors),
      String(flakySaw),
      "-",
      "-",
    ],
    [
      `open loop, ${rate} req/s`,
      "-",
      `${((failoverLatency.ok / Math.max(1, failoverLatency.ok + failoverLatency.failed)) * 100).toFixed(3)}%`,
      String(failoverLatency.failed),
      "-",
      `${failoverLatency.p50.toFixed(3)} (+${(failoverLatency.p50 - Number(healthyLatency?.[3] ?? 0)).toFixed(3)})`,
      `${failoverLatency.p99.toFixed(3)} (+${(failoverLatency.p99 - Number(healthyLatency?.[4] ?? 0)).toFixed(3)})`,
    ],
  ];

  printTable(["body", "target", "req/s (2xx)", "non-2xx", "errors", "upstream saw", "run"], rows);
  console.log("");
  printTable(
    ["body", "target", "measured", "p50 ms", "p99 ms", "added p50 ms", "added p99 ms", "run"],
    latencyRows,
  );
  console.log(
    "\nfailover (json): one route fails 30% of requests with 503, a healthy fallback exists",
  );
  printTable(
    [
      "load",
      "req/s (2xx)",
      "client success",
      "client failures",
      "flaky upstream saw",
      "p50 ms (vs healthy)",
      "p99 ms (vs healthy)",
    ],
    failoverRows,
  );
  for (const kind of ["json", "stream"]) {
    const of = (name: string): number =>
      Number(rows.find((row) => row[0] === kind && row[1] === name)?.[2]);
    console.log(
      `hedge / portkey throughput (${kind}): ${(of("hedge") / of("portkey")).toFixed(1)}x`,
    );
  }
  await usageHeartbeatBench({ hedgeBin, started, homes });
} finally {
  for (const process of started.reverse()) await process.stop();
  for (const dir of homes) rmSync(dir, { recursive: true, force: true });
}
