// pnpm bench:gateway — the gateway against a minimal fast upstream on loopback, in one run:
// direct to the upstream, through `hedge gateway serve` (a pool of 3 logged-in profiles, a
// gateway key), and through Portkey's open-source gateway pointed at the same upstream; once per
// rate-limit header set the upstream sends (BENCH_HEADERS, default "openai,anthropic,none").
// Only 2xx responses count, and each run must be seen by the upstream (its request counter),
// else the run is reported invalid. Then failover, the usage heartbeat and replicas on Redis
// (BENCH_ONLY=usage or BENCH_ONLY=replicas runs only that; BENCH_ONLY=suites only the suites).
import { rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gatewaySuite } from "./gateway-suite.js";
import { failoverBench } from "./failover-run.js";
import { startProcess, type Started } from "./processes.js";
import type { HeaderSet } from "./rate-limit-headers.js";
import { machine, printTable } from "./table.js";
import { replicasBench } from "./replicas-run.js";
import { usageHeartbeatBench } from "./usage-run.js";

const seconds = Number(process.env["BENCH_SECONDS"] ?? 10);
/** Throughput runs are split into this many interleaved rounds per target (median reported). */
const rounds = Number(process.env["BENCH_ROUNDS"] ?? 3);
const roundSeconds = Number(process.env["BENCH_ROUND_SECONDS"] ?? 5);
const rate = Number(process.env["BENCH_RATE"] ?? 500);
const connections = 16;
/** Rate-limit header sets the upstream sends, one suite each (`none`: no provider does). */
const headerSets = (process.env["BENCH_HEADERS"] ?? "openai,anthropic,none")
  .split(",")
  .map((name) => name.trim()) as HeaderSet[];
const root = fileURLToPath(new URL("../../", import.meta.url));
const hedgeBin = join(root, "packages/cli/dist/hedge.js");
const require = createRequire(import.meta.url);
const portkeyBin = join(
  dirname(require.resolve("@portkey-ai/gateway/package.json")),
  "build/start-server.js",
);

const started: Started[] = [];
const homes: string[] = [];
const only = process.env["BENCH_ONLY"];
if (only === "usage" || only === "replicas") {
  try {
    console.log(`machine: ${machine()}`);
    if (only === "usage") await usageHeartbeatBench({ hedgeBin, started, homes });
    else
      await replicasBench({
        root,
        hedgeBin,
        started,
        homes,
        connections,
        rounds,
        roundSeconds,
      });
  } finally {
    for (const process of started.reverse()) await process.stop();
    for (const dir of homes) rmSync(dir, { recursive: true, force: true });
  }
  process.exit(0);
}
try {
  const portkeyPort = 18787 + Math.floor(Math.random() * 1000);
  const portkey = await startProcess(
    process.execPath,
    [portkeyBin, `--port=${portkeyPort}`, "--headless"],
    { NODE_ENV: "production" },
    /running at|Ready for connections/,
  );
  started.push(portkey);

  console.log(`machine: ${machine()}`);
  console.log(
    `throughput: ${connections} connections, ${rounds} interleaved rounds of ${roundSeconds} s per target (median); latency: ${rate} req/s open loop, ${seconds} s each`,
  );
  console.log(
    `hedge: a pool of 3 profiles logged in with \`hedge auth login\` (credentials_store = "file"), gateway-key auth; header sets: ${headerSets.join(", ")}\n`,
  );
  const rows: string[][] = [];
  const latencyRows: string[][] = [];
  const ratios: string[] = [];
  let upstreamOrigin = "";
  for (const [index, headers] of headerSets.entries()) {
    const suite = await gatewaySuite({
      root,
      hedgeBin,
      portkeyOrigin: `http://127.0.0.1:${portkeyPort}`,
      started,
      homes,
      headers,
      fleet: index === 0 && process.env["BENCH_FLEET"] !== "0",
      connections,
      rounds,
      roundSeconds,
      rate,
      latencySeconds: seconds,
      onUpstream: (origin) => (upstreamOrigin = origin),
    });
    rows.push(...suite.rows);
    latencyRows.push(...suite.latencyRows);
    ratios.push(...suite.ratios);
  }
  printTable(
    ["headers", "body", "target", "req/s (2xx)", "non-2xx", "errors", "upstream saw", "run"],
    rows,
  );
  console.log("");
  printTable(
    [
      "headers",
      "body",
      "target",
      "measured",
      "p50 ms",
      "p99 ms",
      "added p50 ms",
      "added p99 ms",
      "run",
    ],
    latencyRows,
  );
  for (const line of ratios) console.log(line);
  if (process.env["BENCH_ONLY"] !== "suites") {
    const healthy = latencyRows.find(
      (row) => row[0] === headerSets[0] && row[1] === "json" && row[2] === "hedge",
    );
    await failoverBench({
      root,
      hedgeBin,
      started,
      homes,
      steadyOrigin: upstreamOrigin,
      connections,
      seconds,
      rate,
      healthy: { p50: Number(healthy?.[4] ?? 0), p99: Number(healthy?.[5] ?? 0) },
    });
    await usageHeartbeatBench({ hedgeBin, started, homes });
    await replicasBench({ root, hedgeBin, started, homes, connections, rounds, roundSeconds });
  }
} finally {
  for (const process of started.reverse()) await process.stop();
  for (const dir of homes) rmSync(dir, { recursive: true, force: true });
}
