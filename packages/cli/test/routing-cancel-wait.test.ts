import { spawn } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { rateLimitedReply } from "@hedge/testkit";
import { startGateway } from "./gateway-process.js";
import { exec, gatewayStatus, setup, type Setup } from "./routing-home.js";
import { HEDGE_BIN } from "./run-hedge.js";

// Real processes over one state.db: Ctrl-C is not a provider failure, a failed request is
// recorded alike by `gateway status`, /metrics and `stats`, and --wait-for-reset waits for a
// cooldown already known when exec starts.

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (stops.length) await stops.pop()?.();
});

/** Retries `check` until it passes, or rethrows after `timeoutMs`. */
async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() >= deadline) throw error;
      await sleep(100);
    }
  }
}

interface StatsRow {
  key: string;
  calls: number;
  errors: number;
  cancelled: number;
}

async function statsByProvider(s: Setup): Promise<StatsRow[]> {
  const run = await s.hedge(["stats", "--by", "provider", "--json"]);
  expect(run.code).toBe(0);
  return (JSON.parse(run.stdout) as { rows: StatsRow[] }).rows;
}

describe("a caller's cancel is not a provider failure", () => {
  it("SIGINT to hedge exec mid-stream: no breaker failure, recorded as cancelled, the next exec runs", async () => {
    // One failure would open this breaker.
    const s = await setup(stops, [
      "[routing.breaker]",
      "failure_threshold = 1",
      "cooldown_ms = 600000",
    ]);
    s.upstream.push({
      text: "a slow answer that streams one word a second for a long while",
      chunkIntervalMs: 1_000,
    });
    const child = spawn(process.execPath, [HEDGE_BIN, ...exec("lab/m")], {
      cwd: s.cwd,
      env: { PATH: process.env["PATH"], ...s.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const closed = new Promise<number | null>((resolve) => child.on("close", resolve));
    await eventually(() => expect(s.upstream.requests).toHaveLength(1));
    // The answer's first words go out with its headers; let them reach exec before Ctrl-C.
    await sleep(300);
    child.kill("SIGINT");
    expect(await closed).toBe(1);

    const status = await gatewayStatus(s);
    expect(status.breakers).toEqual([]);
    expect(status.recent).toMatchObject({ requests: 1, failed: 0, cancelled: 1 });
    expect(status.recent_errors).toEqual([]);
    expect(await statsByProvider(s)).toEqual([
      expect.objectContaining({ key: "lab", calls: 1, errors: 0, cancelled: 1 }),
    ]);

    s.upstream.push({ text: "the next turn" });
    const next = await s.hedge(exec("lab/m"));
    expect(next.code).toBe(0);
    expect(next.stdout).toBe("the next turn\n");
  });
});

describe("a failed request is recorded alike everywhere", () => {
  it("through a gateway process: gateway status, /metrics and stats name its provider and route", async () => {
    const s = await setup(stops, []);
    s.upstream.push({ status: 503, error: { message: "unavailable" }, repeat: true });
    const gateway = await startGateway(s.env);
    stops.push(() => gateway.stop());
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "lab/m", messages: [{ role: "user", content: "hi" }] }),
    });
    expect(response.status).toBe(503);

    const status = await eventually(async () => {
      const shown = await gatewayStatus(s);
      expect(shown.recent.failed).toBe(1);
      return shown;
    });
    expect(status.recent_errors).toEqual([
      expect.objectContaining({ route: "lab:none", provider: "lab", status: 503 }),
    ]);
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toContain(
      'hedge_gateway_errors_total{provider="lab",outcome="gateway_error"} 1',
    );
    expect(metrics).not.toContain('provider="none"');
    expect(await statsByProvider(s)).toEqual([
      expect.objectContaining({ key: "lab", calls: 1, errors: 1 }),
    ]);
  });
});

describe("--wait-for-reset", () => {
  it("also waits when the cooldown is already known when exec starts", async () => {
    const s = await setup(stops, []);
    // Long enough to outlast this exec and the start of the next one on a busy machine.
    s.upstream.push(rateLimitedReply({ retryAfterSeconds: 6 }));
    const limited = await s.hedge(exec("lab/m"));
    expect(limited.code).toBe(1);

    // The next exec starts with the cooldown in state.db: it waits for the reset, then runs.
    s.upstream.push({ text: "after the reset" });
    const waited = await s.hedge(exec("lab/m", "--wait-for-reset"));
    expect(waited.stderr).toContain("waiting for the reset");
    expect(waited.code).toBe(0);
    expect(waited.stdout).toBe("after the reset\n");
    expect(s.upstream.requests).toHaveLength(2);
  });
});
