import {
  findSession,
  type AgentEvent,
  resolveThreadSettings,
  Thread,
  type ApprovalPolicy,
  type EvalRouting,
  type InputStore,
  type McpServerManager,
  type ThreadConfig,
  type ThreadFlags,
  type ThreadSettings,
  type ToolGuard,
} from "@hedge/core";
import type { ModelClient } from "@hedge/gateway-client";
import { pendingView } from "./effect-runner.js";
import { replaySession } from "./session-replay.js";
import type { TuiController } from "./tui-controller.js";

/** What the host needs to make threads: the resolved inputs of `resolveThreadSettings`. */
export interface ThreadHostOptions {
  home: string;
  cwd: string;
  config: ThreadConfig;
  flags: ThreadFlags;
  guard: ToolGuard;
  client: ModelClient;
  heldSecrets: readonly string[];
  inputs: InputStore;
  controller: TuiController;
  /** The session's MCP servers (started once; every thread the host opens uses them). */
  mcp?: McpServerManager;
  /** Routing on eval results (`[routing] evals`), as exec uses it. */
  evalRouting?: EvalRouting;
}

/** Which session a new thread continues, and what it changes. */
export interface ThreadChoice {
  /** Continue this session (absent: a new one). */
  resume?: { id?: string; last?: boolean };
  /** Print the session's transcript first (it is not on screen yet). */
  replay?: boolean;
  model?: string;
  approvalPolicy?: ApprovalPolicy;
  /** Stay in the current session (its settings change); `resume` is ignored then. */
  keep?: boolean;
}

/**
 * Owns the session's thread and replaces it when the user asks (`/new`, `/resume ID`, `/model`,
 * `/approvals`): a thread's settings are fixed, so a change closes it (its session is saved) and
 * opens the same session again with the new settings, or another session. Only between turns.
 */
export class ThreadHost {
  private current: Thread | undefined;
  private flags: ThreadFlags;
  private settingsNow: ThreadSettings | undefined;

  constructor(private readonly options: ThreadHostOptions) {
    this.flags = options.flags;
  }

  get thread(): Thread | undefined {
    return this.current;
  }

  get settings(): ThreadSettings | undefined {
    return this.settingsNow;
  }

  /** Opens a thread as chosen (closing the current one), attaches it, restores its inputs. */
  async open(requested: ThreadChoice = {}): Promise<Thread> {
    const { options } = this;
    const id = this.current?.id;
    // Nothing was sent yet: there is no session file to continue, a new thread is the same.
    const choice: ThreadChoice = requested.keep
      ? { ...requested, ...(id && this.hasSession(id) ? { resume: { id } } : {}) }
      : requested;
    const flags: ThreadFlags = {
      ...this.flags,
      ...(choice.model ? { model: choice.model } : {}),
      ...(choice.approvalPolicy ? { approvalPolicy: choice.approvalPolicy } : {}),
    };
    const settings = resolveThreadSettings({
      home: options.home,
      cwd: options.cwd,
      config: options.config,
      flags,
      guard: options.guard,
      interactive: true,
      ...(options.evalRouting ? { evalRouting: options.evalRouting } : {}),
    });
    const path = choice.resume ? findSession(options.home, choice.resume) : undefined;
    if (this.current?.busy)
      throw new Error("a turn is running; wait for it or interrupt it (Esc) first");
    await this.current?.close();
    this.current = undefined;
    const thread = new Thread(settings, {
      client: options.client,
      heldSecrets: options.heldSecrets,
      inputs: options.inputs,
      approvals: "ask",
      ...(options.mcp ? { mcp: options.mcp } : {}),
      ...(choice.resume ? { resume: choice.resume } : {}),
    });
    this.current = thread;
    this.flags = flags;
    this.settingsNow = settings;
    const { controller } = options;
    if (path && choice.replay) replaySession(controller, path, terminalSize(process.stdout));
    controller.attach(thread);
    if (choice.resume) {
      const opened = thread.openInputs();
      controller.dispatch({
        type: "resumed",
        restored: opened.restored.map(pendingView),
        draft: opened.draft && {
          composer: opened.draft.composer,
          restoredIds: opened.draft.restoredIds,
        },
      });
    }
    return thread;
  }

  /**
   * Pins a profile for the session (`/profile NAME`): the thread checks it (one line when it is
   * refused) and applies it from its next model request; threads this host opens later keep it.
   * Returns the notice to show.
   */
  async pinProfile(name: string): Promise<AgentEvent> {
    if (!this.current) throw new Error("the session is closed");
    const notice = await this.current.pinProfile(name);
    this.flags = { ...this.flags, profile: name };
    return notice;
  }

  private hasSession(id: string): boolean {
    try {
      findSession(this.options.home, { id });
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.current?.close();
    this.current = undefined;
  }
}

/** The terminal's size (a default one when stdout is not a terminal: tests, the rig). */
export function terminalSize(output: { columns?: number; rows?: number }): {
  columns: number;
  rows: number;
} {
  return { columns: output.columns || 80, rows: output.rows || 24 };
}
