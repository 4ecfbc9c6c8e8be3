// The replica part of `pnpm bench:gateway` (alone: BENCH_ONLY=replicas): 1, 2 and 3 `hedge
// gateway serve` processes sharing one redis-server, behind a loopback round-robin, with a
// pool of 3 logged-in profiles and a gateway key, against the fast upstream sending OpenAI's
// rate-limit headers. Then a Redis restart under steady load through 3 replicas: the failed
// requests are counted (goal: 0).
import { join } from "node:path";
import { startRedisServer } from "../../packages/testkit/src/redis-server.js";
import { benchHome, profileNames } from "./hedge-home.js";
import { fixedRate, throughput, type Target } from "./load.js";
import { startProcess, type Started } from "./processes.js";
import { printTable } from "./table.js";

export async function replicasBench(options: {
  root: string;
  hedgeBin: string;
  started: Started[];
  homes: string[];
  connections: number;
  rounds: number;
  roundSeconds: number;
}): Promise<void> {
  const { started, root } = options;
  const redis = await startRedisServer();
  started.push({ stop: () => redis.stop() });
  const upstream = await startProcess(
    process.execPath,
    ["--import", "tsx", join(root, "scripts/bench/fast-upstream.ts")],
    { RATE_LIMIT_HEADERS: "openai" },
    /listening (\d+)/,
  );
  started.push(upstream);
  const prepared = benchHome({
    hedgeBin: options.hedgeBin,
    homes: options.homes,
    config: [
      `store = "${redis.url}"`,
      "[providers.fast]",
      'type = "openai-compatible"',
      `base_url = "http://127.0.0.1:${upstream.match[1]}/v1"`,
      'wire = "chat"',
    ].join("\n"),
    provider: "fast",
    profiles: profileNames(3),
    withKey: true,
  });
  const replicas: (Started & { port: number })[] = [];
  for (let index = 0; index < 3; index += 1) {
    const server = await startProcess(
      process.execPath,
      [options.hedgeBin, "gateway", "serve", "--port", "0", "--workers", "1"],
      { HEDGE_HOME: prepared.home },
      /listening on http:\/\/127\.0\.0\.1:(\d+)/,
    );
    started.push(server);
    replicas.push({ ...server, port: Number(server.match[1]) });
  }
  const balancer = async (count: number) => {
    const started_ = await startProcess(
      process.execPath,
      ["--import", "tsx", join(root, "scripts/bench/round-robin.ts")],
      {
        BACKENDS: replicas
          .slice(0, count)
          .map((replica) => replica.port)
          .join(","),
      },
      /listening (\d+)/,
    );
    started.push(started_);
    return started_;
  };
  const target = (port: string): Target => ({
    name: "replicas",
    origin: `http://127.0.0.1:${port}`,
    path: "/v1/chat/completions",
    headers: { authorization: `Bearer ${prepared.key as string}` },
    body: JSON.stringify({
      model: "fast/bench-model",
      messages: [{ role: "user", content: "Say ok." }],
    }),
  });
  const rows: string[][] = [];
  let single = 0;
  for (const count of [1, 2, 3]) {
    const front = await balancer(count);
    const port = front.match[1] as string;
    await throughput(target(port), options.connections, 2);
    const rates: number[] = [];
    let failed = 0;
    for (let round = 0; round < options.rounds; round += 1) {
      const result = await throughput(target(port), options.connections, options.roundSeconds);
      rates.push(result.requestsPerSecond);
      failed += result.non2xx + result.errors;
    }
    await front.stop();
    const median = [...rates].sort((a, b) => a - b)[Math.floor(rates.length / 2)] ?? 0;
    if (count === 1) single = median;
    rows.push([
      String(count),
      median.toFixed(0),
      (median / count).toFixed(0),
      `${((median / Math.max(1, single)) * 100).toFixed(0)}%`,
      String(failed),
    ]);
  }
  console.log(
    "\nreplicas on one redis-server behind a loopback round-robin (16 connections; all processes share the same cores)",
  );
  printTable(["replicas", "req/s (2xx)", "req/s per replica", "vs 1 replica", "failed"], rows);

  // --workers on one port, the default SQLite state, same profiles and key.
  const workerHome = benchHome({
    hedgeBin: options.hedgeBin,
    homes: options.homes,
    config: [
      "[providers.fast]",
      'type = "openai-compatible"',
      `base_url = "http://127.0.0.1:${upstream.match[1]}/v1"`,
      'wire = "chat"',
    ].join("\n"),
    provider: "fast",
    profiles: profileNames(3),
    withKey: true,
  });
  const workerRows: string[][] = [];
  for (const workers of [1, 2]) {
    const server = await startProcess(
      process.execPath,
      [options.hedgeBin, "gateway", "serve", "--port", "0", "--workers", String(workers)],
      { HEDGE_HOME: workerHome.home },
      /listening on http:\/\/127\.0\.0\.1:(\d+)/,
    );
    started.push(server);
    const served = {
      ...target(server.match[1] as string),
      headers: { authorization: `Bearer ${workerHome.key as string}` },
    };
    await throughput(served, options.connections, 2);
    const rates: number[] = [];
    let failed = 0;
    for (let round = 0; round < options.rounds; round += 1) {
      const result = await throughput(served, options.connections, options.roundSeconds);
      rates.push(result.requestsPerSecond);
      failed += result.non2xx + result.errors;
    }
    await server.stop();
    const median = [...rates].sort((a, b) => a - b)[Math.floor(rates.length / 2)] ?? 0;
    workerRows.push([String(workers), median.toFixed(0), String(failed)]);
  }
  console.log("\ngateway serve --workers N on one port (SQLite state.db, 16 connections)");
  printTable(["workers", "req/s (2xx)", "failed"], workerRows);

  // Redis stopped and started again (empty, same port) under 200 req/s through 3 replicas.
  const front = await balancer(3);
  const seconds = Number(process.env["BENCH_RESTART_SECONDS"] ?? 12);
  const load = fixedRate(target(front.match[1] as string), 200, seconds, "end");
  await new Promise((resolve) => setTimeout(resolve, (seconds * 1000) / 4));
  await redis.stop();
  const downAt = Date.now();
  await new Promise((resolve) => setTimeout(resolve, (seconds * 1000) / 3));
  const back = await startRedisServer({ port: redis.port });
  started.push({ stop: () => back.stop() });
  const downFor = Date.now() - downAt;
  const result = await load;
  console.log(
    `\nRedis restart under load: 200 req/s for ${seconds} s through 3 replicas, redis-server down for ${(downFor / 1000).toFixed(1)} s`,
  );
  printTable(
    ["requests", "succeeded", "failed", "p50 ms", "p99 ms"],
    [
      [
        String(result.ok + result.failed),
        String(result.ok),
        String(result.failed),
        result.p50.toFixed(3),
        result.p99.toFixed(3),
      ],
    ],
  );
}
