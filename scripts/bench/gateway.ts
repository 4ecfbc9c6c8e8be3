// pnpm bench:gateway — the gateway against a minimal fast upstream on loopback, in one run:
// direct to the upstream, through `hedge gateway serve`, and through Portkey's open-source
// gateway pointed at the same upstream. Only 2xx responses count, and each run must be seen by
// the upstream (its request counter), else the run is reported invalid. Then the usage
// heartbeat: three rate-limited profiles under steady load (BENCH_ONLY=usage runs only that).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { fixedRate, throughput, type Target } from "./load.js";
import { startProcess, type Started } from "./processes.js";
import { machine, printTable, quantile } from "./table.js";
import { openStore, UsageMonitor } from "../../packages/gateway/src/index.js";

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
    await usageHeartbeatBench();
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
  await usageHeartbeatBench();
} finally {
  for (const process of started.reverse()) await process.stop();
  for (const dir of homes) rmSync(dir, { recursive: true, force: true });
}

/**
 * The usage heartbeat under load: three profiles of one provider with small limits (an upstream
 * that enforces them like a provider: per key, per epoch-aligned minute, 429 beyond), a steady
 * open-loop load, and the overhead of the usage check measured in-process.
 */
async function usageHeartbeatBench(): Promise<void> {
  const usageRate = Number(process.env["BENCH_USAGE_RATE"] ?? 200);
  const usageSeconds = Number(process.env["BENCH_USAGE_SECONDS"] ?? 20);
  const perMinute = Number(process.env["BENCH_USAGE_LIMIT"] ?? 1500);
  const profiles = ["p1", "p2", "p3"];
  const rows: string[][] = [];
  for (const variant of ["headers", "local limits"] as const) {
    const limited = await startLimitedUpstream(perMinute, variant === "headers");
    const usageHome = mkdtempSync(join(tmpdir(), "hedge-bench-usage-"));
    homes.push(usageHome);
    writeFileSync(
      join(usageHome, "config.toml"),
      [
        'credentials_store = "file"',
        "[providers.rl]",
        `base_url = "${limited.url}/v1"`,
        'wire = "chat"',
        ...(variant === "local limits"
          ? profiles.flatMap((name) => [
              `[profiles.${name}.limits]`,
              `requests_per_minute = ${perMinute}`,
            ])
          : []),
      ].join("\n"),
    );
    for (const name of profiles) {
      const login = spawnSync(
        process.execPath,
        [hedgeBin, "auth", "login", "--provider", "rl", "--profile", name],
        { env: { ...process.env, HEDGE_HOME: usageHome }, input: `key-${name}\n` },
      );
      if (login.status !== 0) throw new Error(`login ${name}: ${String(login.stderr)}`);
    }
    const gateway = await startProcess(
      process.execPath,
      [hedgeBin, "gateway", "serve", "--port", "0"],
      { HEDGE_HOME: usageHome },
      /listening on (http:\/\/\S+)/,
    );
    started.push(gateway);
    const target: Target = {
      name: `usage ${variant}`,
      origin: gateway.match[1] as string,
      path: "/v1/chat/completions",
      headers: {},
      body: JSON.stringify({
        model: "rl/bench-model",
        messages: [{ role: "user", content: "ok" }],
      }),
    };
    const result = await fixedRate(target, usageRate, usageSeconds, "end");
    const capacity = limited.capacityUsed();
    rows.push([
      variant,
      `${usageRate} req/s x ${usageSeconds} s`,
      String(result.ok + result.failed),
      String(result.failed),
      profiles.map((name) => String(limited.served.get(`key-${name}`) ?? 0)).join(" / "),
      String(limited.rejected),
      capacity,
      result.p50.toFixed(3),
      result.p99.toFixed(3),
    ]);
    await gateway.stop();
    await limited.close();
  }
  console.log(
    `\nusage heartbeat: 3 profiles x ${perMinute} requests/min each (upstream enforces, 429 beyond)`,
  );
  printTable(
    [
      "signal",
      "load",
      "requests",
      "client failures",
      "served p1 / p2 / p3",
      "upstream 429s",
      "peak use of a profile's window",
      "p50 ms",
      "p99 ms",
    ],
    rows,
  );
  console.log("\nusage check overhead, in-process, SQLite state.db, 3 profiles, 20,000 calls each");
  printTable(["operation", "p50 µs", "p99 µs", "mean µs"], await usageOverhead());
}

/** An OpenAI-compatible upstream that enforces `perMinute` requests per key and minute. */
async function startLimitedUpstream(
  perMinute: number,
  sendHeaders: boolean,
): Promise<{
  url: string;
  served: Map<string, number>;
  rejected: number;
  capacityUsed: () => string;
  close: () => Promise<void>;
}> {
  const counts = new Map<string, number>();
  const served = new Map<string, number>();
  let peak = 0;
  const state = { rejected: 0 };
  const body = JSON.stringify({
    id: "chatcmpl-usage",
    object: "chat.completion",
    created: 1_700_000_000,
    model: "bench-model",
    choices: [{ index: 0, message: { role: "assistant", content: "ok" }, finish_reason: "stop" }],
    usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 },
  });
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const key = (req.headers["authorization"] ?? "").replace(/^Bearer /, "");
      const now = Date.now();
      const windowStart = Math.floor(now / 60_000) * 60_000;
      const slot = `${key}@${windowStart}`;
      const used = counts.get(slot) ?? 0;
      const resetMs = windowStart + 60_000 - now;
      const headers: Record<string, string> = sendHeaders
        ? {
            "x-ratelimit-limit-requests": String(perMinute),
            "x-ratelimit-remaining-requests": String(Math.max(0, perMinute - used - 1)),
            "x-ratelimit-reset-requests": `${(resetMs / 1000).toFixed(3)}s`,
          }
        : {};
      if (used >= perMinute) {
        state.rejected += 1;
        res.writeHead(429, {
          "content-type": "application/json",
          "retry-after": String(Math.ceil(resetMs / 1000)),
          ...headers,
        });
        res.end(
          JSON.stringify({ error: { message: "Rate limit reached", type: "rate_limit_error" } }),
        );
        return;
      }
      counts.set(slot, used + 1);
      peak = Math.max(peak, used + 1);
      served.set(key, (served.get(key) ?? 0) + 1);
      res.writeHead(200, { "content-type": "application/json", ...headers });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    served,
    get rejected() {
      return state.rejected;
    },
    capacityUsed: () => `${((peak / perMinute) * 100).toFixed(1)}%`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Times the usage heartbeat's per-request work in-process against a SQLite Store. */
async function usageOverhead(): Promise<string[][]> {
  const dir = mkdtempSync(join(tmpdir(), "hedge-bench-usage-check-"));
  homes.push(dir);
  const store = await openStore("sqlite", { home: dir });
  const routes = ["rl:profile:p1", "rl:profile:p2", "rl:profile:p3"];
  const settings = (cacheMs: number) => ({
    switchBelow: 0.1,
    snapshotTtlMs: 600_000,
    profiles: { p3: { limits: { requests_per_day: 10_000_000 } } },
    cacheMs,
  });
  const cached = new UsageMonitor(store, settings(100));
  const uncached = new UsageMonitor(store, settings(0));
  const route = (id: string) => ({
    id,
    provider: { id: "rl" },
    upstreamModel: "bench-model",
    credential: { profile: id.slice("rl:profile:".length) },
  });
  for (const [index, id] of routes.entries()) {
    await cached.observe(route(id), {
      "x-ratelimit-limit-requests": "1500",
      "x-ratelimit-remaining-requests": String(1400 - index * 300),
      "x-ratelimit-reset-requests": "30s",
    });
  }
  const request = {
    models: new Map(routes.map((id) => [id, "bench-model"])),
    estimatedTokens: 20,
  };
  const time = async (label: string, run: () => unknown): Promise<string[]> => {
    for (let index = 0; index < 2_000; index += 1) await run();
    const samples: number[] = [];
    for (let index = 0; index < 20_000; index += 1) {
      const begin = process.hrtime.bigint();
      await run();
      samples.push(Number(process.hrtime.bigint() - begin) / 1000);
    }
    samples.sort((a, b) => a - b);
    const mean = samples.reduce((sum, value) => sum + value, 0) / samples.length;
    return [
      label,
      quantile(samples, 0.5).toFixed(1),
      quantile(samples, 0.99).toFixed(1),
      mean.toFixed(1),
    ];
  };
  const attempts = routes.map(route);
  const result = [
    await time("check (health input), shared reads reused 100 ms (default)", () =>
      cached.check(routes, Date.now(), request),
    ),
    await time("check, Store read on every request (health_cache_ms = 0)", () =>
      uncached.check(routes, Date.now(), request),
    ),
    await time("order (pool ranking)", () => cached.order(attempts)),
    await time("reserve on a header-tracked profile (1 atomic update)", () =>
      cached.reserve(route("rl:profile:p1"), 20),
    ),
    await time("reserve on a profile with a local limit (1 atomic increment)", () =>
      cached.reserve(route("rl:profile:p3"), 20),
    ),
  ];
  await store.close();
  return result;
}
