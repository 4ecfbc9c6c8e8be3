import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { makeTempDir, type TempDir } from "@hedge/testkit";
import {
  CODEX_BIN,
  TOOL_RUN_LIMIT_MS,
  codexConfig,
  describeRun,
  runTool,
  useInteropGateway,
} from "./interop-tools.js";
import { HEDGE_BIN, runHedge } from "./run-hedge.js";

// README's Codex recipe for `hedge qa`, as a new user follows it with the installed Codex
// (0.171): the Stop hook in `$CODEX_HOME/hooks.json`; Codex skips it, silently, until it is
// trusted; trusted in Codex's own hook review (the TUI, in a real terminal under tmux) it runs on
// every `codex exec`: the QA model blocks once, Codex goes on with the reason, and the verdicts
// are counted by the gateway the hook talks to.
const interop = useInteropGateway();

/** A block, then a pass, from the QA model (`oai/qa-model`); Codex's own model is `model-x`. */
function scriptQa(): void {
  interop.upstream.push(
    { match: { model: "model-x" }, text: "Done." },
    {
      match: { model: "qa-model" },
      toolCalls: [
        {
          name: "report_verdict",
          arguments: {
            verdict: "block",
            tasks: ["Say HEDGE-QA-OK"],
            reason: "The marker is missing.",
          },
        },
      ],
    },
    { match: { model: "model-x" }, text: "HEDGE-QA-OK" },
  );
}

interface CodexSetup {
  dir: TempDir;
  codexHome: string;
  work: string;
  env: NodeJS.ProcessEnv;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

/**
 * A Codex home pointed at the gateway with README's hook in hooks.json, `hedge` on PATH, and a
 * hedge home whose `client.gateway_url` is the same gateway (so `hedge qa` asks the QA model
 * there and records its verdict there).
 */
async function codexSetup(): Promise<CodexSetup> {
  const dir = await makeTempDir("hedge-codex-hook-");
  cleanups.push(() => dir.cleanup());
  const codexHome = join(dir.path, "codex-home");
  const hedgeHome = join(dir.path, "hedge-home");
  const bin = join(dir.path, "bin");
  const work = join(dir.path, "work");
  for (const path of [codexHome, hedgeHome, bin, work]) mkdirSync(path);
  const url = interop.gateway.url;
  // The TUI would leave a background app-server daemon behind.
  writeFileSync(join(codexHome, "config.toml"), codexConfig(url, ["daemon_auto_start = false"]));
  // README's recipe, verbatim.
  writeFileSync(
    join(codexHome, "hooks.json"),
    JSON.stringify({
      hooks: {
        Stop: [{ hooks: [{ type: "command", command: "hedge qa", timeout: 120 }] }],
      },
    }),
  );
  writeFileSync(
    join(hedgeHome, "config.toml"),
    `[roles]\nqa = "oai/qa-model"\n[client]\ngateway_url = "${url}"\n`,
  );
  const shim = join(bin, "hedge");
  writeFileSync(shim, `#!/bin/sh\nexec "${process.execPath}" "${HEDGE_BIN}" "$@"\n`);
  chmodSync(shim, 0o755);
  return {
    dir,
    codexHome,
    work,
    env: {
      PATH: `${bin}:${process.env["PATH"] ?? ""}`,
      HOME: dir.path,
      CODEX_HOME: codexHome,
      HEDGE_HOME: hedgeHome,
      HEDGE_GATEWAY_KEY: interop.gatewayKey,
    },
  };
}

async function codexExec(setup: CodexSetup, extraArgs: readonly string[] = []) {
  const run = await runTool(
    CODEX_BIN,
    [
      "exec",
      "--skip-git-repo-check",
      "--json",
      "--model",
      "oai/model-x",
      ...extraArgs,
      "Say done.",
    ],
    { env: setup.env, cwd: setup.work },
  );
  const messages = run.stdout
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as { type: string; item?: { type: string; text?: string } })
    .flatMap((event) =>
      event.type === "item.completed" && event.item?.type === "agent_message"
        ? [event.item.text]
        : [],
    );
  return { run, messages };
}

/** The verdicts the gateway counted for the QA model since `since` (hedge stats over HTTP). */
async function gatewayVerdicts(setup: CodexSetup, since: Date): Promise<unknown> {
  const stats = await runHedge(
    ["stats", "--json", "--by", "model", "--since", since.toISOString()],
    { env: setup.env },
  );
  expect(stats.code, stats.stderr).toBe(0);
  const rows = (JSON.parse(stats.stdout) as { rows: { key: string; qa: unknown }[] }).rows;
  return rows.find((row) => row.key === "oai/qa-model")?.qa;
}

/**
 * Trusts the hook as README says, in Codex's TUI in a real terminal: at start it says "Hooks need
 * review"; Review hooks, the Stop event, `t` to trust. Codex saves the trust in config.toml.
 */
async function trustInTui(setup: CodexSetup): Promise<void> {
  const socket = `hedge-codex-hook-${process.pid}`;
  const tmux = (...args: string[]): string =>
    execFileSync("tmux", ["-L", socket, ...args], { encoding: "utf8" });
  const script = join(setup.dir.path, "codex-tui.sh");
  const env = Object.entries({ ...setup.env, TERM: "xterm-256color" })
    .map(([name, value]) => `${name}='${value ?? ""}'`)
    .join(" ");
  writeFileSync(script, `#!/bin/sh\ncd '${setup.work}'\nexec env -i ${env} '${CODEX_BIN}'\n`);
  chmodSync(script, 0o755);
  tmux("new-session", "-d", "-s", "codex", "-x", "160", "-y", "45", script);
  cleanups.push(() => {
    try {
      tmux("kill-server");
    } catch {
      // Already gone with its only session.
    }
  });
  const screen = async (text: string): Promise<void> => {
    for (let tries = 0; tries < 600; tries += 1) {
      if (tmux("capture-pane", "-p", "-t", "codex").includes(text)) return;
      await sleep(100);
    }
    throw new Error(
      `Codex's TUI never showed "${text}":\n${tmux("capture-pane", "-p", "-t", "codex")}`,
    );
  };
  await screen("Hooks need review");
  await screen("1. Review hooks");
  tmux("send-keys", "-t", "codex", "Enter");
  await screen("Right before Codex ends its turn");
  tmux("send-keys", "-t", "codex", "Enter");
  await screen("Command   hedge qa");
  tmux("send-keys", "-t", "codex", "t");
  await screen("Trusted");
  tmux("send-keys", "-t", "codex", "Escape");
  tmux("send-keys", "-t", "codex", "Escape");
  // Ctrl-C until Codex quits (its session, and this tmux server, end with it).
  for (let tries = 0; tries < 50; tries += 1) {
    try {
      tmux("send-keys", "-t", "codex", "C-c");
    } catch {
      return;
    }
    await sleep(200);
  }
  throw new Error("Codex's TUI did not quit on Ctrl-C");
}

describe("hedge qa as Codex's Stop hook (README's recipe)", () => {
  it(
    "is skipped until trusted; trusted in Codex's hook review, it blocks once and the gateway counts the verdicts",
    async () => {
      const setup = await codexSetup();
      const started = new Date();

      // Configured, not trusted: Codex answers and never runs the hook.
      interop.upstream.push({ match: { model: "model-x" }, text: "Done." });
      const skipped = await codexExec(setup);
      expect(skipped.run.code, describeRun(skipped.run)).toBe(0);
      expect(skipped.messages).toEqual(["Done."]);
      expect(interop.upstream.requestsTo("/v1/chat/completions")).toHaveLength(1);
      expect(await gatewayVerdicts(setup, started)).toBeUndefined();

      await trustInTui(setup);
      expect(readFileSync(join(setup.codexHome, "config.toml"), "utf8")).toMatch(
        /\[hooks\.state\."[^"]*hooks\.json:stop:0:0"\]\ntrusted_hash = "sha256:[0-9a-f]{64}"/,
      );

      interop.upstream.reset();
      scriptQa();
      const checked = await codexExec(setup);
      expect(checked.run.code, describeRun(checked.run)).toBe(0);
      // The QA model blocked "Done.", Codex went on with its reason, and stopped the second time
      // (stop_hook_active: no second QA call).
      expect(checked.messages).toEqual(["Done.", "HEDGE-QA-OK"]);
      const requests = interop.upstream.requestsTo("/v1/chat/completions");
      expect(requests.map((request) => (request.body as { model: string }).model)).toEqual([
        "model-x",
        "qa-model",
        "model-x",
      ]);
      expect(JSON.stringify(requests[2]?.body)).toContain(
        "hedge QA does not accept that this is done: The marker is missing.",
      );
      expect(await gatewayVerdicts(setup, started)).toEqual({ pass: 0, add_tasks: 0, block: 1 });
    },
    3 * TOOL_RUN_LIMIT_MS,
  );

  it(
    "runs untrusted only with --dangerously-bypass-hook-trust (automation that vetted its hooks)",
    async () => {
      const setup = await codexSetup();
      const started = new Date();
      scriptQa();
      const checked = await codexExec(setup, ["--dangerously-bypass-hook-trust"]);
      expect(checked.run.code, describeRun(checked.run)).toBe(0);
      expect(checked.messages).toEqual(["Done.", "HEDGE-QA-OK"]);
      expect(await gatewayVerdicts(setup, started)).toEqual({ pass: 0, add_tasks: 0, block: 1 });
    },
    TOOL_RUN_LIMIT_MS + 30_000,
  );
});
