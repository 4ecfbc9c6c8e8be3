// `hedge` shows its composer before the session's heavy modules load: core, the config (and
// every package's config schema), the model connection and MCP come after the first frame. Checked on the built binary
// in a tmux pane: a loader hook stamps each module as it loads, the TUI's trace stamps each frame,
// and each bundle chunk loaded is read for the source files esbuild put in it.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { TmuxTerminal } from "@hedge/testkit";
import { execFixture, type ExecFixture } from "./exec-helpers.js";
import { HEDGE_BIN } from "./run-hedge.js";

const REGISTER = fileURLToPath(
  new URL("./fixtures/loaded-modules/register-timed.mjs", import.meta.url),
);
const RECORD_FETCH = fileURLToPath(
  new URL("./fixtures/loaded-modules/record-fetch.mjs", import.meta.url),
);
const COMPOSER = /Ask hedge to do something/;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function fixture(extraConfig: string[] = []): Promise<ExecFixture> {
  const made = await execFixture(extraConfig);
  cleanups.push(() => made.cleanup());
  return made;
}

/** hedge in a 100×30 pane with the timed loader hook and a trace; the shell waits after it. */
function openHedge(
  made: ExecFixture,
  args: string[] = [],
  columns = 100,
): { terminal: TmuxTerminal; trace: string; log: string; fetches: string } {
  const trace = join(made.home.path, "trace.jsonl");
  const log = join(made.home.path, "loaded.txt");
  const fetches = join(made.home.path, "fetches.txt");
  writeFileSync(log, "");
  writeFileSync(fetches, "");
  const node = JSON.stringify(process.execPath);
  const terminal = TmuxTerminal.start({
    command: `${node} --import ${JSON.stringify(REGISTER)} --import ${JSON.stringify(RECORD_FETCH)} ${JSON.stringify(HEDGE_BIN)} ${args.join(" ")}; echo "exit $?"; sleep 600`,
    cwd: made.repo.path,
    columns,
    env: {
      PATH: process.env["PATH"],
      LANG: "C.UTF-8",
      ...made.env,
      HEDGE_TUI_TRACE: trace,
      LOADED_LOG: log,
      FETCH_LOG: fetches,
    },
  });
  cleanups.push(() => terminal.kill());
  return { terminal, trace, log, fetches };
}

/** The wall-clock ms of the first frame the trace recorded. */
function firstFrameAt(trace: string): number {
  const entries = readFileSync(trace, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { t: string; timeOrigin?: number; at?: number });
  const origin = entries.find((entry) => entry.t === "start")?.timeOrigin;
  const frame = entries.find((entry) => entry.t === "frame")?.at;
  if (origin === undefined || frame === undefined) throw new Error("no frame in the trace");
  return origin + frame;
}

/** The source files in the bundle chunks loaded before (or from) `at`, by esbuild's comments. */
function sourcesLoaded(log: string, at: number): { before: string[]; after: string[] } {
  const before = new Set<string>();
  const after = new Set<string>();
  for (const line of readFileSync(log, "utf8").split("\n")) {
    const [stamp, url] = line.split(" ");
    if (!url?.startsWith("file:")) continue;
    const file = fileURLToPath(url);
    if (!file.endsWith(".js") || dirname(file) !== dirname(HEDGE_BIN)) continue;
    for (const [, source] of readFileSync(file, "utf8").matchAll(/^\/\/ (\S+)$/gm))
      if (source) (Number(stamp) < at ? before : after).add(source);
  }
  return { before: [...before], after: [...after] };
}

const matching = (sources: string[], pattern: RegExp) =>
  sources.filter((source) => pattern.test(source));

describe("hedge's first frame", () => {
  it("the composer is drawn before core, the config and the model connection load; they load after it", async () => {
    const made = await fixture();
    const { terminal, trace, log, fetches } = openHedge(made);
    await terminal.waitFor(COMPOSER, 20_000);
    // The session connected (the status line names the executor's model): all of it loaded.
    await terminal.waitFor(/lab\/coder/, 20_000);
    const frameAt = firstFrameAt(trace);
    const { before, after } = sourcesLoaded(log, frameAt);
    // Nothing calls `fetch` before it (Yoga's loader would, for its inlined wasm: undici loads).
    const fetched = readFileSync(fetches, "utf8").split("\n").filter(Boolean);
    expect(fetched.filter((line) => Number(line.split(" ")[0]) < frameAt)).toEqual([]);
    expect(matching(before, /\/ink\/build\/render\.js$/)).not.toEqual([]);
    expect(matching(before, /cli\/src\/tui\/app\.tsx$/)).not.toEqual([]);
    for (const heavy of [
      /packages\/core\/src\//,
      /packages\/gateway-client\/src\//,
      /packages\/cli\/src\/config\//,
    ]) {
      expect(matching(before, heavy)).toEqual([]);
      expect(matching(after, heavy)).not.toEqual([]);
    }
    // zod's messages are English: its 45 other locales are not in the bundle at all.
    expect(matching([...before, ...after], /zod\/v4\/locales\/en\.js$/)).not.toEqual([]);
    expect(matching([...before, ...after], /zod\/v4\/locales\/(?!en\.js)/)).toEqual([]);
  });

  it("a bad config after the first frame: the composer is erased and the error is its one line", async () => {
    const made = await fixture(["[roles]", 'executor = ""']);
    const { terminal } = openHedge(made);
    await terminal.waitFor(/exit \d+/, 20_000);
    const screen = terminal.screen();
    expect(screen).not.toMatch(COMPOSER);
    expect(screen.trim().split("\n")).toEqual([
      `hedge: ${join(made.home.path, "config.toml")}: roles.executor: too small: expected string to have >=1 characters, got ""`,
      "  hint: fix the value, then check with 'hedge config show' (docs: README, Configuration)",
      "exit 3",
    ]);
  });

  it("a bad --sandbox is refused in one line before any screen (core loads for the check)", async () => {
    const made = await fixture();
    const { terminal } = openHedge(made, ["--sandbox", "bogus"]);
    await terminal.waitFor(/exit \d+/, 20_000);
    expect(terminal.screen().trim().split("\n")).toEqual([
      "hedge: --sandbox bogus: unknown mode",
      "  hint: use one of read-only, workspace-write, danger-full-access",
      "exit 2",
    ]);
  });

  it("an untrusted project overlay's ignored keys show as a notice in the session, not as stray stderr over the screen", async () => {
    const made = await fixture();
    mkdirSync(join(made.repo.path, ".hedge"));
    const overlay = join(made.repo.path, ".hedge", "config.toml");
    writeFileSync(overlay, '[providers.lab]\nbase_url = "http://127.0.0.1:9/v1"\n');
    const { terminal } = openHedge(made, [], 240);
    await terminal.waitFor(/lab\/coder/, 20_000);
    const screen = terminal.screen();
    expect(screen).toMatch(COMPOSER);
    const line = `hedge: ${overlay} is not trusted: ignored providers.lab.base_url; run 'hedge trust' to apply them (see 'hedge config show')`;
    expect(screen.split("\n").filter((row) => row.includes("is not trusted"))).toEqual([
      expect.stringContaining(line),
    ]);
  });
});
