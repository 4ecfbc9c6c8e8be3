// The usage-heartbeat part of `pnpm bench:gateway` (also alone: BENCH_ONLY=usage).
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fixedRate, type Target } from "./load.js";
import { startProcess, type Started } from "./processes.js";
import { printTable, quantile } from "./table.js";
import { openStore, UsageMonitor } from "../../packages/gateway/src/index.js";

/**
 * The usage heartbeat under load: three profiles of one provider with small limits (an upstream
 * that enforces them like a provider: per key, per epoch-aligned minute, 429 beyond), a steady
 * open-loop load, and the overhead of the usage check measured in-process.
 */
export async function usageHeartbeatBench(context: {
  hedgeBin: string;
  started: Started[];
  homes: string[];
}): Promise<void> {
  const { hedgeBin, started, homes } = context;
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
      [hedgeBin, "gateway", "serve", "--port", "0", "--workers", "1"],
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
  console.log(
    "\nusage check overhead, in-process, SQLite state.db, one pool of 3 and of 64 profiles, 20,000 calls each",
  );
  printTable(
    ["pool", "operation", "p50 µs", "p99 µs", "mean µs"],
    [...(await usageOverhead(homes, 3)), ...(await usageOverhead(homes, 64))],
  );
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

/**
 * Times the usage heartbeat's per-request work in-process against a SQLite Store, for one pool
 * of `size` profiles (the last one with a declared limit, the rest header-tracked).
 */
async function usageOverhead(homes: string[], size: number): Promise<string[][]> {
  const dir = mkdtempSync(join(tmpdir(), "hedge-bench-usage-check-"));
  homes.push(dir);
  const store = await openStore("sqlite", { home: dir });
  const routes = Array.from({ length: size }, (_, index) => `rl:profile:p${index + 1}`);
  const limited = `p${size}`;
  const settings = (cacheMs: number) => ({
    switchBelow: 0.1,
    snapshotTtlMs: 600_000,
    profiles: { [limited]: { limits: { requests_per_day: 10_000_000 } } },
    cacheMs,
    flushMs: 500,
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
      "x-ratelimit-limit-requests": "1000000000",
      "x-ratelimit-remaining-requests": String(900_000_000 - (index % 8) * 100_000_000),
      "x-ratelimit-reset-requests": "300s",
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
      `${size}`,
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
    await time("reserve on a header-tracked profile far from switch_below (in memory)", () =>
      cached.reserve(route("rl:profile:p1"), 20),
    ),
    await time("observe a response's rate-limit headers (coalesced write)", () =>
      cached.observe(route("rl:profile:p2"), {
        "x-ratelimit-limit-requests": "1000000000",
        "x-ratelimit-remaining-requests": "800000000",
        "x-ratelimit-reset-requests": "300s",
      }),
    ),
    await time("reserve on a profile with a local limit (1 atomic increment)", () =>
      cached.reserve(route(`rl:profile:${limited}`), 20),
    ),
  ];
  await cached.flush();
  await store.close();
  return result;
}
