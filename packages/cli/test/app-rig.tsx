import { existsSync, readdirSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stripVTControlCharacters } from "node:util";
import { render } from "ink-testing-library";
import { act } from "react";
import { z } from "zod";
import { createModelClient } from "@hedge/gateway-client";
import {
  coreConfigShape,
  findSession,
  resolveThreadSettings,
  shellEnvironmentPolicySchema,
  SqliteInputStore,
  type Thread,
  type AgentEvent,
  type PendingInput,
} from "@hedge/core";
import {
  makeTempDir,
  makeTempHome,
  startScriptedUpstream,
  type Responder,
  type ScriptedRequest,
  type ScriptedUpstream,
  type ScriptReply,
  type ScriptToolCall,
  type TempDir,
  type TempHome,
} from "@hedge/testkit";
import { fileStore, saveProfile } from "@hedge/auth";
import type { RouteQuery } from "@hedge/model-spec";
import { fireSessionHooks } from "../src/commands/session-hooks.js";
import { connectClient, type ClientConnection } from "../src/composition/connect.js";
import { loadConfig } from "../src/config/load.js";
import { startMcpServers } from "../src/mcp-servers.js";
import { App } from "../src/tui/app.js";
import { loadHighlighting } from "../src/tui/layout/highlight.js";
import { replaySession } from "../src/tui/runtime/session-replay.js";
import { recentSessions } from "../src/tui/runtime/session-list.js";
import { createSlashHandler } from "../src/tui/runtime/slash-handlers.js";
import { ThreadHost } from "../src/tui/runtime/thread-host.js";
import { TuiController } from "../src/tui/runtime/tui-controller.js";
import { initialSessionState } from "../src/tui/state/session-state.js";
import { createKeyDecoder } from "../src/tui/terminal/key-decoder.js";
import { createTheme } from "../src/tui/theme.js";
import { toModelText } from "../src/tui/state/composer-buffer.js";

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = false;
// As run-tui after its first frame: code is highlighted.
await loadHighlighting();

/** Options of {@link AppRig.start}. */
export interface AppRigOptions {
  replies?: ScriptReply[];
  respond?: Responder;
  /** Core config on top of `model = "lab/coder"`, QA off. */
  config?: Record<string, unknown>;
  width?: number;
  rows?: number;
  /** `[hooks]`: loops queued at each turn's end, as the TUI queues them. */
  hooks?: { turn_completed?: string[]; turn_failed?: string[] };
  /** Resume the rig's last session (a second rig on the same home). */
  resume?: { home: TempHome; workspace: TempDir; upstream: ScriptedUpstream };
  /**
   * Route through hedge's own gateway in-process (as `hedge` does) instead of straight to the
   * upstream: `$HEDGE_HOME/config.toml` routes `lab/*` to the upstream, plus these lines; each
   * profile is an api-key login of provider `lab` (file store). Routing state (policy, profiles,
   * headroom) is real then.
   */
  gateway?: { config?: string[]; profiles?: [name: string, key: string][]; pin?: string };
}

/**
 * The whole app on a real thread: core's `Thread` on the scripted upstream (remote client, Chat
 * Completions), its inputs in a real `inputs.db`, the controller, the reducer, and `<App>`
 * rendered by ink-testing-library. Keys go in as raw terminal bytes through the real decoder,
 * so the rig tests the path a terminal takes.
 */
export class AppRig {
  /** Every session event the store saw, and every thread event. */
  readonly threadEvents: AgentEvent[] = [];
  /** What `[hooks]` reported (a loop it could not queue). */
  readonly hookWarnings: string[] = [];
  private constructor(
    readonly controller: TuiController,
    readonly host: ThreadHost,
    readonly store: SqliteInputStore,
    readonly upstream: ScriptedUpstream,
    readonly seen: ScriptedRequest[],
    readonly home: TempHome,
    readonly workspace: TempDir,
    private readonly frame: () => string,
    private readonly teardown: () => Promise<void>,
    private readonly feed: (bytes: string) => void,
  ) {}

  static async start(options: AppRigOptions = {}): Promise<AppRig> {
    const seen: ScriptedRequest[] = [];
    const respond: Responder = (request) => {
      seen.push(request);
      return options.respond?.(request);
    };
    const upstream = options.resume?.upstream ?? (await startScriptedUpstream({ respond }));
    if (options.replies) upstream.push(...options.replies);
    const home = options.resume?.home ?? (await makeTempHome());
    const workspace = options.resume?.workspace ?? (await makeTempDir("hedge-rig-"));
    const store = await SqliteInputStore.open(join(home.path, "inputs.db"));
    const connection = options.gateway
      ? await gatewayConnection(home.path, workspace.path, upstream.url, options.gateway)
      : undefined;
    const client =
      connection?.client ??
      createModelClient({ mode: "remote", url: upstream.url, key: undefined });
    const config = z.object(coreConfigShape).parse({
      model: "lab/coder",
      qa: { enabled: false },
      ...options.config,
    });
    const guard = {
      secrets: [],
      keyVariables: [],
      shellEnvironment: shellEnvironmentPolicySchema.parse({}),
      denyRead: [home.path],
    };
    const cwd = realpathSync(workspace.path);
    // Checked as run-tui checks them before the screen shows.
    resolveThreadSettings({ home: home.path, cwd, config, guard, interactive: true });
    const mcp = await startMcpServers(config, home.path, new AbortController().signal);
    const controller = new TuiController({
      initial: initialSessionState(),
      runner: {
        quit: () => undefined,
        draftDelayMs: 10,
        slash: (name, args) => slash(name, args),
      },
      frameMs: 5,
      onTurnEnd: (outcome) => {
        const hooks = { turn_completed: [], turn_failed: [], ...options.hooks };
        void fireSessionHooks(
          home.path,
          { hooks },
          outcome === "completed" ? "turn_completed" : "turn_failed",
          { warn: (text) => rig.hookWarnings.push(text) },
        );
      },
    });
    const host = new ThreadHost({
      home: home.path,
      cwd,
      config,
      flags: options.gateway?.pin ? { profile: options.gateway.pin } : {},
      guard,
      client,
      heldSecrets: connection ? await connection.secrets() : [],
      inputs: store,
      controller,
      ...(mcp ? { mcp } : {}),
    });
    const current = (): Thread => {
      if (!host.thread) throw new Error("no thread");
      return host.thread;
    };
    const slash = createSlashHandler({
      cwd,
      state: () => current().state(),
      emit: (event) => controller.applyThreadEvent(event),
      send: () => undefined,
      approvalPolicy: () => host.settings?.approvalPolicy ?? "on-request",
      switchTo: async (choice) => {
        await host.open(choice);
      },
      recentSessions: () => recentSessions(home.path),
      mcpStatus: () => current().mcpStatus(),
      pick: (picker) => controller.dispatch({ type: "openPicker", picker }),
      models: () => [
        { model: "lab/other" },
        { model: "fast", description: "alias of lab/quick" },
        ...(options.gateway ? [{ model: "far/big" }] : []),
      ],
      ...(connection
        ? {
            usage: () => client.usage(),
            explain: (query: RouteQuery) => client.explain(query),
          }
        : {}),
      pinProfile: async (name) => {
        controller.applyThreadEvent(await host.pinProfile(name));
      },
      compact: async () => {
        const result = await current().compact();
        controller.applyThreadEvent({ type: "item.completed", item: result.item });
      },
    });
    const width = options.width ?? 100;
    const output = {
      columns: width,
      rows: options.rows ?? 30,
      on: () => undefined,
      off: () => undefined,
    };
    let instance: ReturnType<typeof render> | undefined;
    act(() => {
      instance = render(<App controller={controller} output={output} theme={createTheme(false)} />);
    });
    const rendered = instance;
    if (!rendered) throw new Error("ink did not render");
    Object.defineProperty(rendered.stdout, "columns", { get: () => width, configurable: true });
    const decoder = createKeyDecoder((events) => controller.keys(events, 0));
    const rig = new AppRig(
      controller,
      host,
      store,
      upstream,
      seen,
      home,
      workspace,
      () => rendered.lastFrame() ?? "",
      async () => {
        controller.dispose();
        rendered.unmount();
        await host.close();
        await connection?.client.close();
        await mcp?.close();
        store.close();
        if (!options.resume) {
          await upstream.close();
        }
      },
      (bytes) => {
        decoder.feed(bytes);
        decoder.flush();
      },
    );
    const original = controller.applyThreadEvent.bind(controller);
    controller.applyThreadEvent = (event) => {
      rig.threadEvents.push(event);
      original(event);
    };
    // As run-tui: the resumed transcript shows before the thread opens.
    if (options.resume)
      replaySession(controller, findSession(home.path, { last: true }), {
        columns: width,
        rows: output.rows,
      });
    await host.open(options.resume ? { resume: { last: true } } : {});
    return rig;
  }

  /** The thread now (slash commands may replace it). */
  get thread(): Thread {
    const thread = this.host.thread;
    if (!thread) throw new Error("no thread");
    return thread;
  }

  /** Raw terminal bytes, as one read. */
  keys(bytes: string): void {
    this.feed(bytes);
  }

  /** The screen (static output, then the live area), without escape sequences. */
  text(): string {
    return stripVTControlCharacters(this.frame());
  }

  /** The composer's text (the model's view of it). */
  composer(): string {
    return toModelText(this.controller.store.getState().composer);
  }

  async waitFor(check: () => boolean, what: string, deadlineMs = 10_000): Promise<void> {
    const deadline = Date.now() + deadlineMs;
    while (!check()) {
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${what}; the screen was:\n${this.text()}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  waitForText(pattern: RegExp): Promise<void> {
    return this.waitFor(() => pattern.test(this.text()), String(pattern));
  }

  waitForEvent(type: AgentEvent["type"], count = 1): Promise<void> {
    return this.waitFor(
      () => this.threadEvents.filter((event) => event.type === type).length >= count,
      `${count} ${type}`,
    );
  }

  /** The session's stored inputs, in order. */
  inputs(): PendingInput[] {
    return this.store.recent(1000).reverse();
  }

  /** The user messages of each model request, in order. */
  userMessages(): string[][] {
    return this.seen.map((request) =>
      request.conversation.flatMap((entry) => (entry.role === "user" ? [entry.text] : [])),
    );
  }

  /** Creates `name` in the workspace (a waiting tool call goes on). */
  release(name: string): void {
    writeFileSync(join(this.workspace.path, name), "");
  }

  /** The session file's user messages, in order. */
  sessionUserMessages(): string[] {
    return sessionRecords(this.home.path).flatMap((record) => {
      const message = record["message"] as { role?: string; content?: unknown } | undefined;
      if (record.type !== "message" || message?.role !== "user") return [];
      const content = message.content;
      return [
        Array.isArray(content)
          ? content
              .map((part: { type?: string; text?: string }) =>
                part.type === "text" ? part.text : "",
              )
              .join("")
          : String(content),
      ];
    });
  }

  async stop(options: { keepHome?: boolean } = {}): Promise<void> {
    await this.teardown();
    if (!options.keepHome) {
      await this.home.cleanup();
      await this.workspace.cleanup();
    }
  }
}

/**
 * The embedded gateway `hedge` uses, on a home whose config routes provider `lab` (Chat wire, on
 * loopback) to the upstream and whose profiles are `lab` api-key logins in the file store.
 */
async function gatewayConnection(
  home: string,
  cwd: string,
  url: string,
  gateway: NonNullable<AppRigOptions["gateway"]>,
): Promise<ClientConnection> {
  writeFileSync(
    join(home, "config.toml"),
    [
      'model = "lab/coder"',
      'credentials_store = "file"',
      ...(gateway.config ?? []),
      "[qa]",
      "enabled = false",
      "[providers.lab]",
      `base_url = "${url}/v1"`,
      'wire = "chat"',
    ].join("\n"),
  );
  for (const [name, key] of gateway.profiles ?? [])
    await saveProfile(
      home,
      { name, provider: "lab", kind: "api-key" },
      { secret: key, store: fileStore(home) },
    );
  const { config } = loadConfig({ home, cwd, overrides: [] });
  return connectClient(config, home, undefined, { pinPools: false });
}

/** A shell call that waits until `name` exists in the workspace, then prints "released". */
export function waitForFile(name: string): ScriptToolCall {
  return {
    name: "shell",
    arguments: {
      command: ["bash", "-lc", `while [ ! -e ${name} ]; do sleep 0.05; done; echo released`],
    },
  };
}

function sessionRecords(home: string): { type: string; [key: string]: unknown }[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(dir, entry.name));
      else files.push(join(dir, entry.name));
    }
  };
  walk(join(home, "sessions"));
  return files.flatMap((file) =>
    readFileSync(file, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { type: string; [key: string]: unknown }),
  );
}
