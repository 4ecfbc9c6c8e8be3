import autocannon from "autocannon";
import { Pool } from "undici";
import { quantile } from "./table.js";

export interface Target {
  name: string;
  origin: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface ThroughputResult {
  requestsPerSecond: number;
  ok: number;
  non2xx: number;
  errors: number;
}

/** Closed-loop throughput with autocannon; only 2xx responses count. */
export async function throughput(
  target: Target,
  connections: number,
  seconds: number,
): Promise<ThroughputResult> {
  const result = await autocannon({
    url: `${target.origin}${target.path}`,
    method: "POST",
    headers: { "content-type": "application/json", ...target.headers },
    body: target.body,
    connections,
    duration: seconds,
  });
  return {
    requestsPerSecond: result["2xx"] / seconds,
    ok: result["2xx"],
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

export interface LatencyResult {
  p50: number;
  p99: number;
  ok: number;
  failed: number;
}

/**
 * Open-loop load at a fixed rate: a request is started on schedule whatever the previous ones
 * do. Latency is measured with hrtime to the first body byte (TTFB) or to the end of the body.
 */
export async function fixedRate(
  target: Target,
  ratePerSecond: number,
  seconds: number,
  until: "first-byte" | "end",
): Promise<LatencyResult> {
  const pool = new Pool(target.origin, { connections: 64, pipelining: 1 });
  const latencies: number[] = [];
  let failed = 0;
  const total = ratePerSecond * seconds;
  const interval = 1000 / ratePerSecond;
  const start = performance.now();
  const inflight: Promise<void>[] = [];
  for (let sent = 0; sent < total;) {
    const due = Math.min(total, Math.floor((performance.now() - start) / interval) + 1);
    for (; sent < due; sent += 1) inflight.push(one());
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await Promise.all(inflight);
  await pool.close();
  latencies.sort((a, b) => a - b);
  return {
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    ok: latencies.length,
    failed,
  };

  async function one(): Promise<void> {
    const began = performance.now();
    try {
      const response = await pool.request({
        method: "POST",
        path: target.path,
        headers: { "content-type": "application/json", ...target.headers },
        body: target.body,
      });
      let measured: number | undefined;
      for await (const _ of response.body) {
        if (until === "first-byte" && measured === undefined) measured = performance.now() - began;
      }
      measured ??= performance.now() - began;
      if (response.statusCode >= 200 && response.statusCode < 300) latencies.push(measured);
      else failed += 1;
    } catch {
      failed += 1;
    }
  }
}
