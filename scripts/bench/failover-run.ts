// The failover part of `pnpm bench:gateway`: a route whose upstream answers 30% of requests with
// 503, with `fallbacks` to a healthy route; closed-loop throughput and open-loop latency.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fixedRate, throughput, type Target } from "./load.js";
import { startProcess, type Started } from "./processes.js";
import { printTable } from "./table.js";

export async function failoverBench(options: {
  root: string;
  hedgeBin: string;
  started: Started[];
  homes: string[];
  /** The healthy route's upstream. */
  steadyOrigin: string;
  connections: number;
  seconds: number;
  rate: number;
  /** The healthy hedge route's latency, to compare with. */
  healthy: { p50: number; p99: number };
}): Promise<void> {
  const { started, connections, seconds, rate, healthy } = options;
  const flaky = await startProcess(
    process.execPath,
    ["--import", "tsx", join(options.root, "scripts/bench/fast-upstream.ts")],
    { FAIL_RATE: "0.3" },
    /listening (\d+)/,
  );
  started.push(flaky);
  const failoverHome = mkdtempSync(join(tmpdir(), "hedge-bench-failover-"));
  options.homes.push(failoverHome);
  writeFileSync(
    join(failoverHome, "config.toml"),
    [
      "[providers.flaky]",
      `base_url = "http://127.0.0.1:${flaky.match[1]}/v1"`,
      'wire = "chat"',
      "[providers.steady]",
      `base_url = "${options.steadyOrigin}/v1"`,
      'wire = "chat"',
      '[routing.models."flaky/bench-model"]',
      'fallbacks = ["steady/bench-model"]',
    ].join("\n"),
  );
  const failover = await startProcess(
    process.execPath,
    [options.hedgeBin, "gateway", "serve", "--port", "0", "--workers", "1"],
    { HEDGE_HOME: failoverHome },
    /listening on (http:\/\/\S+)/,
  );
  started.push(failover);
  const target: Target = {
    name: "hedge, 30% failing route + fallback",
    origin: failover.match[1] as string,
    path: "/v1/chat/completions",
    headers: {},
    body: JSON.stringify({
      model: "flaky/bench-model",
      stream: false,
      messages: [{ role: "user", content: "Say ok." }],
    }),
  };
  const flakyCount = async (): Promise<number> =>
    Number(await (await fetch(`http://127.0.0.1:${flaky.match[1]}/count`)).text());
  const flakyBefore = await flakyCount();
  const load = await throughput(target, connections, seconds);
  const flakySaw = (await flakyCount()) - flakyBefore;
  const latency = await fixedRate(target, rate, seconds, "end");
  const total = load.ok + load.non2xx + load.errors;
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
    [
      [
        `closed loop, ${connections} conn`,
        load.requestsPerSecond.toFixed(0),
        `${((load.ok / Math.max(1, total)) * 100).toFixed(3)}%`,
        String(load.non2xx + load.errors),
        String(flakySaw),
        "-",
        "-",
      ],
      [
        `open loop, ${rate} req/s`,
        "-",
        `${((latency.ok / Math.max(1, latency.ok + latency.failed)) * 100).toFixed(3)}%`,
        String(latency.failed),
        "-",
        `${latency.p50.toFixed(3)} (+${(latency.p50 - healthy.p50).toFixed(3)})`,
        `${latency.p99.toFixed(3)} (+${(latency.p99 - healthy.p99).toFixed(3)})`,
      ],
    ],
  );
}
