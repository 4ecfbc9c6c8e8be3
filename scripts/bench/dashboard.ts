// `pnpm bench:dashboard`: the dashboard under a fleet's load. 50 profiles of one provider on the
// scripted upstream (each answer carries rate-limit headers, so headroom moves and the pool
// switches), 10 requests/s through `hedge gateway serve`; first with no page open, then with two
// Chromium tabs. Reports the gateway process's CPU and RSS in both phases, SSE bytes/s per tab,
// event-to-paint delay p50/p99 and long tasks in the pages.
// Needs the built binary (npm run build) and Chromium at /usr/bin/chromium (BENCH_CHROMIUM).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Page } from "playwright-core";
import { openAiRateLimitHeaders, startScriptedUpstream } from "../../packages/testkit/src/index.js";
import { startProcess } from "./processes.js";
import { machine, printTable, quantile } from "./table.js";

const HEDGE = fileURLToPath(new URL("../../packages/cli/dist/hedge.js", import.meta.url));
const CHROMIUM = process.env["BENCH_CHROMIUM"] ?? "/usr/bin/chromium";
const PROFILES = Number(process.env["BENCH_PROFILES"] ?? 50);
const RATE = Number(process.env["BENCH_RATE"] ?? 10);
const SECONDS = Number(process.env["BENCH_SECONDS"] ?? 60);
const BASELINE_SECONDS = Number(process.env["BENCH_BASELINE_SECONDS"] ?? 20);
const TABS = 2;

if (!existsSync(HEDGE)) throw new Error("build first: npm run build");
if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM} (set BENCH_CHROMIUM)`);

const home = mkdtempSync(join(tmpdir(), "hedge-bench-dashboard-"));
const upstream = await startScriptedUpstream();
// Enough varied answers for the whole run: remaining drifts per answer, so windows change.
const replies = Math.ceil(RATE * (SECONDS + BASELINE_SECONDS) * 1.2);
for (let index = 0; index < replies; index++) {
  upstream.push({
    text: "ok",
    usage: { inputTokens: 200, outputTokens: 20 },
    headers: openAiRateLimitHeaders({
      requests: { limit: 1000, remaining: 1000 - (index % 950), resetMs: 600_000 },
    }),
  });
}
writeFileSync(
  join(home, "config.toml"),
  [
    'credentials_store = "file"',
    "[qa]",
    "enabled = false",
    "[providers.lab]",
    `base_url = "${upstream.url}/v1"`,
    'wire = "chat"',
  ].join("\n"),
);
const env = { HEDGE_HOME: home, HOME: home, NO_COLOR: "1" };
const hedge = (args: string[], input = ""): string => {
  const run = spawnSync(process.execPath, [HEDGE, ...args], {
    env: { PATH: process.env["PATH"], ...env },
    input,
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(`hedge ${args.join(" ")}: ${run.stderr}`);
  return run.stdout;
};
process.stderr.write(`logging in ${PROFILES} profiles…\n`);
for (let index = 1; index <= PROFILES; index++) {
  const name = `p${String(index).padStart(2, "0")}`;
  hedge(["auth", "login", "--provider", "lab", "--profile", name], `key-${name}\n`);
}
const key = /^hk-\S+/m.exec(hedge(["gateway", "key", "create", "--name", "bench"]))?.[0] ?? "";
const gateway = await startProcess(
  process.execPath,
  [HEDGE, "gateway", "serve", "--port", "0", "--workers", "1"],
  { PATH: process.env["PATH"], ...env },
  /listening on (http:\/\/\S+)/,
);
const url = gateway.match[1] ?? "";
const pid = gateway.child?.pid ?? 0;

/** CPU seconds (user + system) and RSS (MiB) of the gateway process, from /proc. */
function processStats(): { cpuSeconds: number; rssMiB: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]);
  const rss = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
  return { cpuSeconds: ticks / 100, rssMiB: Number(rss) / 1024 };
}

let sent = 0;
let failed = 0;
const traffic = setInterval(() => {
  sent += 1;
  fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: JSON.stringify({ model: "lab/m", messages: [{ role: "user", content: "hi" }] }),
  })
    .then(async (response) => {
      if (!response.ok) failed += 1;
      await response.text();
    })
    .catch(() => (failed += 1));
}, 1000 / RATE);

async function phase(seconds: number): Promise<{ cpu: number; rss: number[] }> {
  const start = processStats();
  const began = Date.now();
  const rss: number[] = [];
  while (Date.now() - began < seconds * 1000) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    rss.push(processStats().rssMiB);
  }
  const end = processStats();
  return { cpu: ((end.cpuSeconds - start.cpuSeconds) / ((Date.now() - began) / 1000)) * 100, rss };
}

process.stderr.write(`baseline: ${BASELINE_SECONDS} s at ${RATE} req/s, no page open…\n`);
const baseline = await phase(BASELINE_SECONDS);

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
const pages: Page[] = [];
for (let tab = 0; tab < TABS; tab++) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  await page.addInitScript(`
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__longTasks.push(entry.duration);
    }).observe({ type: "longtask", buffered: true });
  `);
  await page.goto(`${url}/dashboard`);
  await page.fill("#gateway-key", key);
  await page.press("#gateway-key", "Enter");
  await page.waitForSelector("#fleet tr[data-profile]");
  pages.push(page);
}
// What one tab receives: the same stream, counted in bytes by a reader of our own.
let streamBytes = 0;
const counter = new AbortController();
void fetch(`${url}/dashboard/api/events`, {
  headers: { authorization: `Bearer ${key}` },
  signal: counter.signal,
})
  .then(async (response) => {
    const reader = response.body?.getReader();
    for (;;) {
      const chunk = (await reader?.read()) as { done: boolean; value?: Uint8Array } | undefined;
      if (!chunk || chunk.done) break;
      streamBytes += chunk.value?.byteLength ?? 0;
    }
  })
  .catch(() => undefined);
await new Promise((resolve) => setTimeout(resolve, 2000));
// Page load is not what is measured: only what the live stream costs from here on.
for (const page of pages)
  await page.evaluate(
    "window.hedgeDashboard.paintDelays.length = 0; window.hedgeDashboard.renderMs.length = 0; window.__longTasks.length = 0",
  );
streamBytes = 0;

process.stderr.write(`with ${TABS} tabs: ${SECONDS} s at ${RATE} req/s…\n`);
// BENCH_TRACE=1: where the first tab's main thread spends its time (a Chrome trace, summed).
const trace = process.env["BENCH_TRACE"] === "1";
if (trace) await browser.startTracing(pages[0], { categories: ["devtools.timeline"] });
const watched = await phase(SECONDS);
if (trace) {
  const events = (
    JSON.parse((await browser.stopTracing()).toString("utf8")) as {
      traceEvents: {
        name: string;
        ph: string;
        dur?: number;
        args?: { data?: { nodeName?: string; layerId?: number } };
      }[];
    }
  ).traceEvents;
  const totals = new Map<string, { ms: number; count: number; max: number }>();
  for (const event of events) {
    if (event.ph !== "X" || !event.dur) continue;
    // Paint is split by what was painted, so the panel that costs most shows.
    const name =
      event.name === "Paint"
        ? `Paint ${event.args?.data?.nodeName ?? `layer ${event.args?.data?.layerId}`}`
        : event.name;
    const total = totals.get(name) ?? { ms: 0, count: 0, max: 0 };
    total.ms += event.dur / 1000;
    total.count += 1;
    total.max = Math.max(total.max, event.dur / 1000);
    totals.set(name, total);
  }
  printTable(
    ["trace event", "total ms", "count", "max ms"],
    [...totals]
      .sort((a, b) => b[1].ms - a[1].ms)
      .slice(0, 15)
      .map(([name, total]) => [
        name,
        total.ms.toFixed(0),
        String(total.count),
        total.max.toFixed(1),
      ]),
  );
}
const bytesPerSecond = streamBytes / SECONDS;
const delays: number[] = [];
const longTasks: number[] = [];
const renders: number[] = [];
let rows = 0;
for (const page of pages) {
  delays.push(...(await page.evaluate<number[]>("window.hedgeDashboard.paintDelays")));
  longTasks.push(...(await page.evaluate<number[]>("window.__longTasks")));
  renders.push(...(await page.evaluate<number[]>("window.hedgeDashboard.renderMs")));
  rows = Number(await page.evaluate('document.querySelectorAll("#fleet tr[data-profile]").length'));
}
clearInterval(traffic);
counter.abort();
await browser.close();
await gateway.stop();
await upstream.close();
rmSync(home, { recursive: true, force: true });

delays.sort((a, b) => a - b);
renders.sort((a, b) => a - b);
const max = (values: number[]): number => Math.max(...values);
console.log(`\nbench:dashboard on ${machine()}`);
console.log(
  `${PROFILES} profiles (${rows} rows shown), ${RATE} req/s (${sent} sent, ${failed} failed)\n`,
);
printTable(
  [
    "phase",
    "gateway CPU %",
    "gateway RSS MiB (max)",
    "SSE B/s per tab",
    "paint p50 / p99 ms",
    "render p50 / p99 ms",
    "long tasks",
  ],
  [
    [
      `no page, ${BASELINE_SECONDS} s`,
      baseline.cpu.toFixed(1),
      max(baseline.rss).toFixed(0),
      "-",
      "-",
      "-",
      "-",
    ],
    [
      `${TABS} tabs, ${SECONDS} s`,
      watched.cpu.toFixed(1),
      max(watched.rss).toFixed(0),
      bytesPerSecond.toFixed(0),
      `${quantile(delays, 0.5).toFixed(0)} / ${quantile(delays, 0.99).toFixed(0)} (${delays.length} batches)`,
      `${quantile(renders, 0.5).toFixed(1)} / ${quantile(renders, 0.99).toFixed(1)}`,
      `${longTasks.length} (max ${longTasks.length ? max(longTasks).toFixed(0) : 0} ms)`,
    ],
  ],
);
