import { join } from "node:path";
import { PassThrough } from "node:stream";
import type {
  McpServerManager,
  SqliteInputStore,
  Thread,
  ThreadFlags,
  ThreadSettings,
} from "@hedge/core";
import type { UsageReportView } from "@hedge/model-spec";
import type { CheckedInteractiveOptions, ResumeChoice } from "../commands/interactive.js";
import type { HedgeConfig } from "../config/schema.js";
import type { GlobalOptions } from "../context.js";
import type { ClientConnection } from "../composition/connect.js";
import type { ToolGuardOptions } from "../tool-guard.js";
import { loadHighlighting } from "./layout/highlight.js";
import { createMentionIndex } from "./runtime/mention-index.js";
import type { SlashHandler } from "./runtime/slash-handlers.js";
import type * as SessionDepsModule from "./session-deps.js";
import type { ThreadHost } from "./runtime/thread-host.js";
import { createTrace } from "./runtime/trace.js";
import { TuiController } from "./runtime/tui-controller.js";
import { fromJson } from "./state/composer-buffer.js";
import { HISTORY_LIMIT } from "./state/input-history.js";
import { initialSessionState } from "./state/session-state.js";
import { openKeySource } from "./terminal/key-source.js";
import { enableTerminalModes, supportsKittyKeys } from "./terminal/terminal-modes.js";
import { applyColorMode, colorEnabled, createTheme } from "./theme.js";

/** What `hedge [PROMPT]` and `hedge resume` start the TUI with. */
export interface TuiRunOptions {
  globals: GlobalOptions;
  options: CheckedInteractiveOptions;
  prompt?: string;
  resume?: ResumeChoice;
}

/**
 * The interactive session: the composer shows first, then the config, the model connection and
 * the thread load behind it (keys typed meanwhile wait for them; a bad config takes the screen
 * down again and is one line, as before it). Ends when the user quits; the terminal is
 * restored whatever ends it. Returns the exit code.
 */
export async function runTui(run: TuiRunOptions): Promise<number> {
  const { options } = run;
  // A resumed session prints its transcript above the composer, so it starts as it always did:
  // config, settings and the session file first (a bad one is one line, no screen).
  const early = run.resume ? await prepareSession(run) : undefined;

  const ink = await loadInk();
  const theme = createTheme(colorEnabled(process.env));
  applyColorMode(theme);
  const trace = createTrace(process.env["HEDGE_TUI_TRACE"]);
  let quit: () => void = () => undefined;
  const quitting = new Promise<void>((resolve) => (quit = resolve));
  // Quitting while MCP servers start stops them starting.
  const mcpStart = new AbortController();
  let slash: SlashHandler | undefined;
  let readUsage: (() => Promise<UsageReportView>) | undefined;
  let shell: ReturnType<SessionDeps["createShellRunner"]> | undefined;
  const mentions = createMentionIndex(options.cwd);
  let prepared: PreparedSession | undefined = early;
  const controller = new TuiController({
    initial: initialSessionState(),
    runner: {
      quit: () => {
        mcpStart.abort();
        quit();
      },
      slash: (name, args) => slash?.(name, args),
      shell: (command, emit) => shell?.(command, emit) ?? Promise.resolve(),
      searchFiles: (query) => mentions.search(query),
    },
    clearScreen: () => process.stdout.write("\x1b[2J\x1b[3J\x1b[H"),
    onKeys: (receivedAt) => trace.key(receivedAt),
    readUsage: () => readUsage?.() ?? Promise.reject(new Error("not connected")),
    // As exec: the loops `[hooks]` names queue in the daemon (a problem is one notice).
    onTurnEnd: (outcome) => {
      if (!prepared) return;
      void prepared.deps.fireSessionHooks(
        prepared.home,
        prepared.config,
        outcome === "completed" ? "turn_completed" : "turn_failed",
        {
          warn: (text) => controller.dispatch({ type: "notice", notice: { text, tone: "error" } }),
        },
      );
    },
  });
  if (early?.sessionPath) {
    // The transcript is printed once: its code highlighted from the start.
    await loadHighlighting();
    early.deps.replaySession(
      controller,
      early.sessionPath,
      early.deps.terminalSize(process.stdout),
    );
  }

  let inputs: SqliteInputStore | undefined;
  let host: ThreadHost | undefined;
  let connection: ClientConnection | undefined;
  let mcp: McpServerManager | undefined;
  const modes = enableTerminalModes(process.stdout, {
    kittyKeys: supportsKittyKeys(process.env, undefined),
    onSignal: (signal) => {
      // Everything shown was stored already; only the draft's last keystrokes wait.
      controller.effectRunner?.flushDraft();
      trace.flush();
      process.exit(signal === "SIGTERM" ? 143 : 129);
    },
  });
  const instance = ink.render(ink.appElement({ controller, output: process.stdout, theme }), {
    stdout: process.stdout,
    // Keys are read by the key source; ink gets a stream that never speaks.
    stdin: new PassThrough() as unknown as NodeJS.ReadStream,
    exitOnCtrlC: false,
    patchConsole: true,
    maxFps: 120,
    incrementalRendering: false,
    kittyKeyboard: { mode: "disabled" },
    onRender: ({ renderTime }) => trace.frame(renderTime),
  });
  const keys = openKeySource(process.stdin, (events, receivedAt) =>
    controller.keys(events, receivedAt),
  );
  const ticker = setInterval(() => controller.tick(), 1000);
  ticker.unref();

  try {
    // The first frame is on screen; now the slower part. Keys typed meanwhile wait for the thread.
    await new Promise((resolve) => setImmediate(resolve));
    let session: PreparedSession;
    try {
      session = early ?? (await prepareSession(run, (text) => notice(controller, text)));
    } catch (error) {
      // Bad flags or config: the composer is erased and the reason is the one line it would
      // have been before the screen took over (nothing was acted on).
      instance.clear();
      throw error;
    }
    prepared = session;
    const { deps, home, config, flags, guard, evalRouting, settings } = session;
    const {
      SqliteInputStore,
      startMcpServers,
      connectClient,
      ThreadHost,
      createSlashHandler,
      wireSerializer,
      createShellRunner,
      recentSessions,
    } = deps;
    void loadHighlighting();
    try {
      inputs = await SqliteInputStore.open(join(home, "inputs.db"));
      controller.dispatch({
        type: "history",
        entries: inputs.recent(HISTORY_LIMIT).map((input) => fromJson(input.composer, input.text)),
      });
      // As exec: a required server that fails stops the session before any model request.
      mcp = await startMcpServers(config, home, mcpStart.signal);
      connection = await connectClient(config, home, options.gateway, { pinPools: false });
      const heldSecrets = await connection.secrets();
      const client = connection.client;
      readUsage = () => client.usage();
      host = new ThreadHost({
        home,
        cwd: options.cwd,
        config,
        flags,
        guard,
        client,
        heldSecrets,
        inputs,
        controller,
        ...(mcp ? { mcp } : {}),
        ...(evalRouting ? { evalRouting } : {}),
      });
      const threads = host;
      const current = (): Thread => {
        if (!threads.thread) throw new Error("the session is closed");
        return threads.thread;
      };
      slash = createSlashHandler({
        cwd: options.cwd,
        state: () => current().state(),
        usage: () => client.usage(),
        emit: (event) => controller.applyThreadEvent(event),
        send: (prompt) => sendPrompt(controller, prompt),
        approvalPolicy: () => threads.settings?.approvalPolicy ?? settings.approvalPolicy,
        switchTo: async (choice) => {
          await threads.open(choice);
        },
        recentSessions: () => recentSessions(home),
        pick: (picker) => controller.dispatch({ type: "openPicker", picker }),
        models: () => configuredModels(config),
        explain: (query) => client.explain(query),
        pinProfile: async (name) => {
          controller.applyThreadEvent(await threads.pinProfile(name));
        },
        compact: async () => {
          const result = await current().compact();
          controller.applyThreadEvent({ type: "item.completed", item: result.item });
        },
        mcpStatus: async () => {
          const thread = current();
          // Counted as the executor's wire encodes a tool (canonical JSON if it has no codec).
          const wire = await wireSerializer(config, thread.state().roles.executor.model).catch(
            () => undefined,
          );
          return thread.mcpStatus(wire ?? {});
        },
      });
      shell = (command, emit) =>
        createShellRunner(threads.settings ?? settings, heldSecrets)(command, emit);
      // The transcript of a resumed session is on screen already.
      await threads.open(run.resume ? { resume: run.resume } : {});
      if (run.prompt) sendPrompt(controller, run.prompt);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const hint = (error as { hint?: unknown }).hint;
      controller.dispatch({
        type: "notice",
        notice: {
          text: `${message}${typeof hint === "string" ? ` (${hint})` : ""} · Ctrl+C twice quits`,
          tone: "error",
        },
      });
    }
    await quitting;
  } finally {
    clearInterval(ticker);
    keys.close();
    controller.dispose();
    instance.unmount();
    modes.restore();
    trace.flush();
    mcpStart.abort();
    await host?.close();
    await connection?.client.close();
    await mcp?.close();
    inputs?.close();
  }
  return 0;
}

type SessionDeps = typeof SessionDepsModule;

/** What the session starts from: the config, the flags as thread settings, the session to resume. */
interface PreparedSession {
  deps: SessionDeps;
  home: string;
  config: HedgeConfig;
  flags: ThreadFlags;
  guard: ToolGuardOptions;
  evalRouting?: ReturnType<SessionDeps["loadEvalRouting"]>;
  settings: ThreadSettings;
  sessionPath?: string;
}

/**
 * Loads the config and checks the flags against it (throws a `HedgeError` on bad ones). Its
 * modules load only now: for a new session that is after the first frame.
 */
async function prepareSession(
  run: TuiRunOptions,
  notice?: (line: string) => void,
): Promise<PreparedSession> {
  const deps = await import("./session-deps.js");
  const { options } = run;
  const { home, loaded } = deps.commandContext(run.globals, options.cwd, notice);
  const config = loaded.config;
  const flags: ThreadFlags = {
    ...(options.model ? { model: options.model } : {}),
    roles: options.role,
    qa: options.qa,
    ...(options.sandboxMode ? { sandboxMode: options.sandboxMode } : {}),
    ...(options.approvalPolicy ? { approvalPolicy: options.approvalPolicy } : {}),
    addDirs: options.addDir,
    // `hedge --profile NAME` (the global flag travels as HEDGE_PROFILE): the session's pin, which
    // `/profile` may change; the engine loads every profile so it can.
    ...(process.env["HEDGE_PROFILE"] ? { profile: process.env["HEDGE_PROFILE"] } : {}),
  };
  const guard = deps.toolGuardOptions(config, home, []);
  // `[routing] evals`: the executor chosen on eval numbers, as in exec.
  const evalRouting = deps.loadEvalRouting(home, config.routing);
  const settings = deps.resolveThreadSettings({
    home,
    cwd: options.cwd,
    config,
    flags,
    guard,
    interactive: true,
    ...(evalRouting ? { evalRouting } : {}),
  });
  // A foreseeable failure: no such session.
  const sessionPath = run.resume ? deps.findSession(home, run.resume) : undefined;
  return {
    deps,
    home,
    config,
    flags,
    guard,
    ...(evalRouting ? { evalRouting } : {}),
    settings,
    ...(sessionPath ? { sessionPath } : {}),
  };
}

/** A line about the config (an untrusted overlay's ignored keys) shown as a notice. */
function notice(controller: TuiController, text: string): void {
  controller.dispatch({ type: "notice", notice: { text, tone: "warning" } });
}

/** The models the config names: each provider's model list, and the aliases. */
function configuredModels(
  config: Pick<HedgeConfig, "providers" | "aliases">,
): { model: string; description?: string }[] {
  return [
    ...Object.entries(config.providers).flatMap(([provider, entry]) =>
      (entry.models ?? []).map((model) => ({ model: `${provider}/${model}` })),
    ),
    ...Object.entries(config.aliases).map(([alias, target]) => ({
      model: alias,
      description: `alias of ${target}`,
    })),
  ];
}

/** A prompt sent as if typed and submitted (the first prompt, `/init`). */
function sendPrompt(controller: TuiController, prompt: string): void {
  const now = Date.now();
  controller.dispatch({ type: "intent", intent: { type: "paste", text: prompt }, now });
  controller.dispatch({ type: "intent", intent: { type: "submit" }, now });
}

/**
 * ink and the app, imported only now. ink decides at import whether it runs under CI (`CI` set:
 * it prints only the final frame), which would hide a real terminal's session from someone who
 * exported CI in their shell or a test harness: both ends are terminals here, so CI is masked
 * while ink loads. `fetch` is hidden too: Yoga's loader (a web build) fetches its own inlined
 * `data:` URL when `fetch` exists, and Node's first `fetch` call loads undici (~30 ms of CPU
 * before the first frame); without it Yoga decodes the same bytes in place.
 */
async function loadInk() {
  const saved = {
    CI: process.env["CI"],
    CONTINUOUS_INTEGRATION: process.env["CONTINUOUS_INTEGRATION"],
  };
  delete process.env["CI"];
  delete process.env["CONTINUOUS_INTEGRATION"];
  const fetch = Object.getOwnPropertyDescriptor(globalThis, "fetch");
  if (fetch?.configurable)
    Object.defineProperty(globalThis, "fetch", {
      value: undefined,
      writable: true,
      configurable: true,
      enumerable: fetch.enumerable ?? false,
    });
  try {
    const [{ render }, { appElement }] = await Promise.all([import("ink"), import("./app.js")]);
    return { render, appElement };
  } finally {
    if (fetch?.configurable) Object.defineProperty(globalThis, "fetch", fetch);
    for (const [name, value] of Object.entries(saved))
      if (value !== undefined) process.env[name] = value;
  }
}
