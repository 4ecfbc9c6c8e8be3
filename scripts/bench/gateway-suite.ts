// One throughput and latency suite of `pnpm bench:gateway`: an upstream that sends one provider's
// rate-limit header set, hedge as users run it (a pool of logged-in profiles, a gateway key),
// optionally a 64-profile pool, and Portkey pointed at the same upstream. Small bodies (JSON and
// streaming) and a Codex-sized agent request (pass-through and translated).
import { join } from "node:path";
import { chatAgentRequest, messagesAgentRequest } from "./agent-request.js";
import { benchHome, profileNames } from "./hedge-home.js";
import { fixedRate, throughput, type Target } from "./load.js";
import { startProcess, type Started } from "./processes.js";
import type { HeaderSet } from "./rate-limit-headers.js";

export interface SuiteOptions {
  root: string;
  hedgeBin: string;
  portkeyOrigin: string;
  started: Started[];
  homes: string[];
  headers: HeaderSet;
  /** Also measure a 64-profile pool. */
  fleet: boolean;
  connections: number;
  rounds: number;
  roundSeconds: number;
  rate: number;
  latencySeconds: number;
  /** Told the upstream's origin (the failover run reuses it as its healthy route). */
  onUpstream?: (origin: string) => void;
}

export interface SuiteResult {
  rows: string[][];
  latencyRows: string[][];
  ratios: string[];
}

type Kind = "json" | "stream" | "agent json";

export async function gatewaySuite(options: SuiteOptions): Promise<SuiteResult> {
  const { started, headers } = options;
  const upstream = await startProcess(
    process.execPath,
    ["--import", "tsx", join(options.root, "scripts/bench/fast-upstream.ts")],
    { RATE_LIMIT_HEADERS: headers },
    /listening (\d+)/,
  );
  started.push(upstream);
  const upstreamOrigin = `http://127.0.0.1:${upstream.match[1]}`;
  options.onUpstream?.(upstreamOrigin);
  const config = `[providers.fast]\ntype = "openai-compatible"\nbase_url = "${upstreamOrigin}/v1"\nwire = "chat"`;
  const serve = async (profiles: number): Promise<{ origin: string; key: string }> => {
    const prepared = benchHome({
      hedgeBin: options.hedgeBin,
      homes: options.homes,
      config,
      provider: "fast",
      profiles: profileNames(profiles),
      withKey: true,
    });
    const server = await startProcess(
      process.execPath,
      [options.hedgeBin, "gateway", "serve", "--port", "0", "--workers", "1"],
      { HEDGE_HOME: prepared.home },
      /listening on (http:\/\/\S+)/,
    );
    started.push(server);
    return { origin: server.match[1] as string, key: prepared.key as string };
  };
  const pool = await serve(3);
  const fleet = options.fleet ? await serve(64) : undefined;

  const small = (stream: boolean, model: string): string =>
    JSON.stringify({ model, stream, messages: [{ role: "user", content: "Say ok." }] });
  const smallMessages = (stream: boolean): string =>
    JSON.stringify({
      model: "fast/bench-model",
      stream,
      max_tokens: 16,
      messages: [{ role: "user", content: "Say ok." }],
    });
  const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
  const targets = (kind: Kind): Target[] => {
    const agent = kind === "agent json";
    const stream = kind === "stream";
    const chat = (model: string): string =>
      agent ? chatAgentRequest(model, false) : small(stream, model);
    const list: Target[] = [
      {
        name: "direct",
        origin: upstreamOrigin,
        path: "/v1/chat/completions",
        headers: {},
        body: chat("bench-model"),
      },
      {
        name: "hedge",
        origin: pool.origin,
        path: "/v1/chat/completions",
        headers: bearer(pool.key),
        body: chat("fast/bench-model"),
      },
      {
        // Anthropic Messages in, Chat Completions upstream: the translation path.
        name: "hedge (translated)",
        origin: pool.origin,
        path: "/v1/messages",
        headers: { ...bearer(pool.key), "anthropic-version": "2023-06-01" },
        body: agent ? messagesAgentRequest("fast/bench-model", false) : smallMessages(stream),
      },
    ];
    if (fleet && !agent)
      list.push({
        name: "hedge (64 profiles)",
        origin: fleet.origin,
        path: "/v1/chat/completions",
        headers: bearer(fleet.key),
        body: chat("fast/bench-model"),
      });
    list.push({
      name: "portkey",
      origin: options.portkeyOrigin,
      path: "/v1/chat/completions",
      headers: {
        "x-portkey-provider": "openai",
        "x-portkey-custom-host": `${upstreamOrigin}/v1`,
        authorization: "Bearer bench-not-a-key",
      },
      body: chat("bench-model"),
    });
    return list;
  };
  const upstreamCount = async (): Promise<number> =>
    Number(await (await fetch(`${upstreamOrigin}/count`)).text());

  const kinds: Kind[] = ["json", "stream", "agent json"];
  const rows: string[][] = [];
  const latencyRows: string[][] = [];
  // Warm every target up (JIT, connection pools, the state database) before measuring.
  for (const kind of kinds) {
    for (const target of targets(kind)) await throughput(target, options.connections, 2);
  }
  for (const kind of kinds) {
    // Rounds interleave the targets so drift on this shared machine hits them all alike; each
    // target's row is its median round. Every round must be valid for the row to be.
    const perTarget = new Map<
      string,
      { rates: number[]; non2xx: number; errors: number; reached: number; ok: number }
    >();
    for (let round = 0; round < options.rounds; round += 1) {
      for (const target of targets(kind)) {
        const before = await upstreamCount();
        const result = await throughput(target, options.connections, options.roundSeconds);
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
        headers,
        kind,
        name,
        (sorted[Math.floor(sorted.length / 2)] ?? 0).toFixed(0),
        String(entry.non2xx),
        String(entry.errors),
        String(entry.reached),
        valid ? "valid" : "INVALID",
      ]);
    }
    if (kind === "agent json") continue;
    let direct = { p50: 0, p99: 0 };
    for (const target of targets(kind)) {
      const before = await upstreamCount();
      const until = kind === "stream" ? "first-byte" : "end";
      const latency = await fixedRate(target, options.rate, options.latencySeconds, until);
      const reached = (await upstreamCount()) - before;
      if (target.name === "direct") direct = { p50: latency.p50, p99: latency.p99 };
      const valid = latency.failed === 0 && reached >= latency.ok;
      latencyRows.push([
        headers,
        kind,
        target.name,
        kind === "stream" ? "TTFB" : "full",
        latency.p50.toFixed(3),
        latency.p99.toFixed(3),
        target.name === "direct" ? "-" : (latency.p50 - direct.p50).toFixed(3),
        target.name === "direct" ? "-" : (latency.p99 - direct.p99).toFixed(3),
        valid ? "valid" : `INVALID (${latency.failed} failed)`,
      ]);
    }
  }
  const rateOf = (kind: Kind, name: string): number =>
    Number(rows.find((row) => row[1] === kind && row[2] === name)?.[3]);
  const ratio = (kind: Kind, name: string): string =>
    `${(rateOf(kind, name) / rateOf(kind, "portkey")).toFixed(1)}x`;
  const ratios = [
    `${headers} headers, hedge / portkey: json ${ratio("json", "hedge")}, stream ${ratio("stream", "hedge")}, ` +
      `agent request pass-through ${ratio("agent json", "hedge")}, translated ${ratio("agent json", "hedge (translated)")}`,
  ];
  return { rows, latencyRows, ratios };
}
