import { HedgeError, UsageError, type ContentPart } from "@hedge/model-spec";
import type { ModelClient } from "@hedge/gateway-client";
import type { AgentEvent } from "../agent/events.js";
import type { ToolHost } from "../agent/tool-host.js";
import { loadProjectInstructions } from "../instructions/agents-md.js";
import { composeInstructions } from "../instructions/base-instructions.js";
import { roleInstructions } from "../roles/pipeline.js";
import type { ApprovalAnswer } from "../tools/approval-schema.js";
import type { McpStatus, McpStatusOptions } from "../mcp/status.js";
import type { ThreadMcp } from "../mcp/thread-mcp.js";
import { ApprovalBroker } from "./approval-broker.js";
import { ThreadRecorder } from "./thread-recorder.js";
import { compactNow, type CompactResult } from "./compact-now.js";
import { SessionPin } from "./profile-pin.js";
import { threadState } from "./thread-state.js";
import { createThreadTools } from "./thread-tools.js";
import { asideRecord, forkAside } from "./aside.js";
import { EventChannel } from "./event-channel.js";
import type { InputKind, InputStore, OpenedInputs, PendingInput } from "./input-store.js";
import { MemoryInputStore } from "./memory-input-store.js";
import { checkPromptFits } from "./prompt-fit.js";
import type { ThreadSettings } from "./settings.js";
import type {
  InputOptions,
  RunInput,
  StartedRun,
  ThreadDeps,
  ThreadState,
} from "./thread-types.js";
import { runTurns, type TurnLoopHost } from "./turn-loop.js";

interface ActiveRun {
  abort: AbortController;
  channel: EventChannel<AgentEvent>;
  done: Promise<void>;
}

/**
 * One conversation with the agent: the only way anything runs it (exec, the TUI, the daemon,
 * `ask`). `run` starts a turn and streams its events (and those of the queued turns after it);
 * while it runs, `steer` reaches it at its next tool or model-step boundary, `enqueue` waits for
 * the next turn, approvals arrive as events answered with `answerApproval`, `ask` answers a side
 * question on a fork, and `interrupt` stops it and hands back every undelivered input.
 */
export class Thread {
  /** The session id (Codex's `thread_id`). */
  readonly id: string;
  /** The session file, the events' consumer, routes, usage and item ids. */
  private readonly recorder: ThreadRecorder;
  private readonly client: ModelClient;
  private readonly inputs: InputStore;
  private readonly approvals: ApprovalBroker;
  private readonly tools: ToolHost;
  private readonly orchestratorTools: ToolHost;
  private readonly instructions: string;
  /** MCP tools for the roles, when servers are configured. */
  private readonly mcp: ThreadMcp | undefined;
  private readonly images = new Map<string, readonly ContentPart[]>();
  /** The session's pinned profile (`settings.profile` is checked at the first turn). */
  private readonly pin: SessionPin;
  private contextRole: "orchestrator" | "executor" = "executor";
  private turnCounter = 0;
  private asideCounter = 0;
  private announced = false;
  private active: ActiveRun | undefined;

  constructor(
    private readonly settings: ThreadSettings,
    deps: ThreadDeps,
  ) {
    this.client = deps.client;
    this.pin = new SessionPin(deps.client, settings.profile);
    this.inputs = deps.inputs ?? new MemoryInputStore();
    this.recorder = new ThreadRecorder(settings, deps, (event) => this.active?.channel.push(event));
    this.id = this.recorder.id;
    // A resumed session's context is held by the role that served it last.
    for (const role of this.recorder.routes.keys())
      if (role === "executor" || role === "orchestrator") this.contextRole = role;
    this.approvals = new ApprovalBroker(
      deps.approvals ?? (settings.interactive ? "ask" : "deny"),
      (event) => this.recorder.outOfBand(event),
    );
    const built = createThreadTools(settings, deps, (request) => this.approvals.request(request));
    this.tools = built.tools;
    this.orchestratorTools = built.orchestratorTools;
    this.mcp = built.mcp;
    this.instructions = composeInstructions({
      projectInstructions: loadProjectInstructions(settings.home, settings.cwd).text,
      cwd: settings.cwd,
      sandboxMode: settings.sandboxMode,
      network: settings.network,
      approvalPolicy: settings.approvalPolicy,
      interactive: settings.interactive,
    });
  }

  /**
   * Runs a turn on `input` (with any inputs already waiting, in order), then each turn the
   * queued inputs make, until none is left, a turn fails or `interrupt` stops it. Checks that
   * run before the first event (the prompt fits, every role this turn uses has a route) throw
   * from the iteration. Breaking out of the iteration interrupts the run.
   */
  run(input?: RunInput): AsyncIterable<AgentEvent> {
    if (input) return this.start(input).events;
    this.refuseBusy();
    if (this.inputs.open(this.id).length === 0)
      throw new UsageError("nothing to run: no prompt and no input waiting");
    return this.begin();
  }

  /** As `run(input)`, and also returns the input as stored (durable before this returns). */
  start(input: RunInput): StartedRun {
    this.refuseBusy();
    const images = input.images ?? [];
    checkPromptFits({
      prompt: input.prompt,
      images,
      model: this.settings.roles.executor.model,
      contextWindow: this.settings.contextWindow,
    });
    const added = this.addInput("turn", input.prompt, input);
    if (images.length > 0) this.images.set(added.id, images);
    return { input: added, events: this.begin() };
  }

  /** Whether a run is in progress (until its events end, interrupted or not). */
  get busy(): boolean {
    return this.active !== undefined;
  }

  private refuseBusy(): void {
    if (this.active) {
      throw new HedgeError("thread_busy", "a turn is already running in this thread", {
        hint: "steer it, queue the input for the next turn, or interrupt it",
      });
    }
  }

  private begin(): AsyncIterable<AgentEvent> {
    const abort = new AbortController();
    const channel = new EventChannel<AgentEvent>(() => void this.interrupt());
    const active: ActiveRun = { abort, channel, done: Promise.resolve() };
    this.active = active;
    // Idle again before the consumer sees the end: it may run the next turn at once.
    const settle = (): void => {
      if (this.active === active) this.active = undefined;
    };
    active.done = runTurns(this.loopHost(), abort.signal).then(
      () => {
        settle();
        channel.end();
      },
      (error: unknown) => {
        settle();
        channel.fail(error);
      },
    );
    return channel;
  }

  /** Text for the running turn's next tool or model-step boundary (the next turn if it misses). */
  steer(text: string, options: InputOptions = {}): PendingInput {
    return this.addInput("steer", requireText(text), options);
  }

  /** Text for the next turn. */
  enqueue(text: string, options: InputOptions = {}): PendingInput {
    return this.addInput("queue", requireText(text), options);
  }

  /**
   * Restored inputs the user dealt with: resubmitted as the input `by`, or `cleared` away. They
   * no longer come back on resume.
   */
  supersede(inputIds: readonly string[], by: string): void {
    if (inputIds.length > 0) this.inputs.supersede(this.id, inputIds, by);
  }

  /**
   * Keeps what the composer holds (its saved form, and the restored inputs in it) for the next
   * start of this session; undefined forgets it. Nothing is kept before the session has a file.
   */
  saveDraft(draft: { composer: string; restoredIds: readonly string[] } | undefined): void {
    if (!this.recorder.session) return;
    this.inputs.saveDraft(
      this.id,
      draft && { composer: draft.composer, restoredIds: [...draft.restoredIds] },
    );
  }

  /**
   * What the user left when this session last ran (call once, before the first run): every input
   * the model never got (the session file is the proof of delivery: a crash between marking an
   * input delivered and writing it down counts as not delivered) and the saved composer.
   */
  openInputs(): OpenedInputs {
    this.refuseBusy();
    const session = this.recorder.session;
    if (!session) return { restored: [], draft: undefined };
    return this.inputs.reconcile(this.id, session.deliveredInputIds());
  }

  /** Stores an input; with a durable store the session file exists first (resume finds it). */
  private addInput(kind: InputKind, text: string, options: InputOptions): PendingInput {
    if (this.inputs.durable) this.recorder.ensureSession();
    return this.inputs.add(this.id, {
      kind,
      text,
      ...(options.composer === undefined ? {} : { composer: options.composer }),
      ...(options.supersedes === undefined ? {} : { supersedes: options.supersedes }),
    });
  }

  /**
   * Takes one waiting input back (to edit it) without stopping the turn: the input as it was,
   * or undefined when it was delivered already (the model has it).
   */
  pullBack(inputId: string): PendingInput | undefined {
    return this.inputs.restore(this.id, [inputId])[0];
  }

  /**
   * Stops the running turn and returns every input not delivered yet, in order (none of them
   * will be delivered later). Resolves once the turn has stopped.
   */
  async interrupt(): Promise<PendingInput[]> {
    const restored = this.inputs.restore(this.id);
    const active = this.active;
    if (!active) return restored;
    if (!active.abort.signal.aborted)
      this.recorder.outOfBand({
        type: "turn.interrupted",
        restored_ids: restored.map(({ id }) => id),
      });
    active.abort.abort();
    this.approvals.cancelAll();
    await active.done.catch(() => undefined);
    return restored;
  }

  /** Answers an `approval.requested` event; false when that request waits no more. */
  answerApproval(requestId: string, answer: ApprovalAnswer): boolean {
    return this.approvals.answer(requestId, answer);
  }

  /**
   * A side question, answered on a fork of the conversation by the model (and profile) that
   * holds it; the conversation stays as it is, the answer is recorded as an aside in the session.
   * It may run while a turn runs.
   */
  ask(question: string, options: { signal?: AbortSignal } = {}): AsyncIterable<AgentEvent> {
    const text = requireText(question);
    const role = this.contextRole;
    return forkAside(
      {
        client: this.client,
        sessionId: this.id,
        role,
        roleModel: this.settings.roles[role],
        served: this.recorder.routes.get(role),
        history: this.recorder.session?.history() ?? [],
        system: roleInstructions(this.instructions, role),
        tools: (role === "orchestrator" ? this.orchestratorTools : this.tools).specs(),
        // Unique across runs of the session: asides are recorded in it.
        id: `aside_${Date.now().toString(36)}_${(this.asideCounter += 1)}`,
        record: (item, usage) => {
          if (usage) this.recorder.usage.aside(usage);
          this.recorder.ensureSession().appendAside(asideRecord(item));
        },
      },
      text,
      options.signal,
    );
  }

  /**
   * Pins a profile for the session (`/profile`): from the next model request on, the roles whose
   * model runs on its provider use it alone; the others keep their routes. Checked first (it must
   * be one of the user's profiles, and policy must allow it): a problem throws one line. Returns
   * the notice to show, also recorded in the session.
   */
  async pinProfile(name: string): Promise<AgentEvent> {
    const message = await this.pin.set(this.settings.roles, name);
    return this.recorder.notice(message, { forward: false });
  }

  /**
   * Compacts the conversation now (`/compact`, between turns): summarised by the model and
   * profile that hold the context. Returns the item to show (tokens before and after).
   */
  async compact(options: { signal?: AbortSignal } = {}): Promise<CompactResult> {
    this.refuseBusy();
    const session = this.recorder.session;
    if (!session) throw new UsageError("nothing to compact: the session has no turn yet");
    const role = this.contextRole;
    const served = this.recorder.routes.get(role);
    const roleModel = (await this.pin.apply(this.settings.roles))[role];
    // A pin set since the last turn applies to this request; else the route that holds it.
    const pinned = this.pin.profile !== undefined && roleModel.profiles?.[0] === this.pin.profile;
    const result = await compactNow({
      ...this.settings,
      client: this.client,
      session,
      model: served?.model ?? roleModel.model,
      role,
      profiles: !pinned && served?.profile ? [served.profile] : roleModel.profiles,
      nextItemId: () => this.recorder.nextItemId(),
      signal: options.signal ?? new AbortController().signal,
    });
    this.recorder.usage.compacted(result.usage, result.tokensAfter);
    session.appendEvent({ type: "item.completed", item: result.item });
    return result;
  }

  /** Usage, context, routes and waiting inputs, for a status line. */
  state(): ThreadState {
    return threadState({
      sessionId: this.id,
      running: this.active !== undefined,
      usage: this.recorder.usage,
      settings: this.settings,
      routes: this.recorder.routes,
      contextRole: this.contextRole,
      pinnedProfile: this.pin.profile,
      pending: this.inputs.open(this.id),
    });
  }

  /**
   * The MCP servers' states and what their tools cost each role's requests (for `/mcp` and
   * `/status`); undefined when no server is configured. `wire`: the executor's wire format and
   * how it encodes a tool (the CLI's `wireSerializer`), else hedge's canonical form is counted.
   */
  async mcpStatus(
    wire: Pick<McpStatusOptions, "serialize" | "wire"> = {},
  ): Promise<McpStatus | undefined> {
    return this.mcp?.status(wire);
  }

  /** Inputs not delivered yet, in order. */
  pending(): PendingInput[] {
    return this.inputs.open(this.id);
  }

  /** Interrupts a running turn and lets another process continue the session. */
  async close(): Promise<void> {
    if (this.active) await this.interrupt();
    this.recorder.session?.close();
  }

  /** What the turn loop uses of this thread. */
  private loopHost(): TurnLoopHost {
    const recorder = this.recorder;
    return {
      threadId: this.id,
      client: this.client,
      settings: this.settings,
      inputs: this.inputs,
      instructions: this.instructions,
      tools: this.tools,
      orchestratorTools: this.orchestratorTools,
      mcp: this.mcp,
      images: this.images,
      routes: recorder.routes,
      ensureSession: () => recorder.ensureSession(),
      announce: () => {
        if (this.announced) return;
        this.announced = true;
        recorder.record({ type: "thread.started", thread_id: this.id });
        if (this.settings.webSearchRequested)
          recorder.notice("web_search is not available in hedge; continuing without it");
      },
      emitNotice: (message) => void recorder.notice(message),
      emitRecorded: (event) => recorder.record(event),
      forward: (event) => recorder.forward(event),
      nextItemId: () => recorder.nextItemId(),
      nextTurnId: () => `turn_${Date.now().toString(36)}_${(this.turnCounter += 1)}`,
      turnRoles: (roles) => this.pin.apply(roles),
      modelUsage: (role, usage) => {
        const inContext = role === "executor" || role === "orchestrator";
        if (inContext) this.contextRole = role;
        recorder.forward(recorder.usage.call(role, usage, inContext));
      },
    };
  }
}

function requireText(text: string): string {
  if (!text.trim()) throw new UsageError("the input is empty");
  return text;
}
