import { randomUUID } from "node:crypto";
import { emptyTurnUsage, isTransientEvent, type AgentEvent } from "../agent/events.js";
import type { RouteDecisionItem } from "../agent/items.js";
import { findSession, SessionFile } from "../session/session-file.js";
import type { ThreadSettings } from "./settings.js";
import type { ThreadDeps } from "./thread-types.js";
import { UsageTracker } from "./usage-tracker.js";

/**
 * Where a thread's events go: its session file (made at the first need, or the one resumed) and
 * the running turn's consumer; on the way it notes each role's route and the usage. A resumed
 * session's routes are known from the start (asides and compaction keep its route and cache).
 */
export class ThreadRecorder {
  readonly id: string;
  readonly usage: UsageTracker;
  /** The route that served each role last (the session's, on resume). */
  readonly routes = new Map<string, RouteDecisionItem>();
  private file: SessionFile | undefined;
  private itemCounter: number;

  constructor(
    private readonly settings: Pick<ThreadSettings, "home" | "cwd" | "roles" | "contextWindow">,
    deps: Pick<ThreadDeps, "resume" | "readOnly">,
    /** The running turn's consumer, when a turn runs. */
    private readonly push: (event: AgentEvent) => void,
  ) {
    if (deps.resume) {
      const path = findSession(settings.home, deps.resume);
      this.file = deps.readOnly ? SessionFile.openReadOnly(path) : SessionFile.open(path);
      for (const route of this.file.routes()) this.routes.set(route.role, route);
    }
    this.id = this.file?.id ?? randomUUID();
    this.itemCounter = this.file?.itemCount() ?? 0;
    this.usage = new UsageTracker(this.file?.usage() ?? emptyTurnUsage(), settings.contextWindow);
  }

  /** The session file, when there is one yet. */
  get session(): SessionFile | undefined {
    return this.file;
  }

  /** The session file, made now when there is none yet. */
  ensureSession(): SessionFile {
    this.file ??= SessionFile.create(this.settings.home, {
      cwd: this.settings.cwd,
      model: this.settings.roles.executor.model,
      id: this.id,
    });
    return this.file;
  }

  /** Item ids continue after the session's earlier ones. */
  nextItemId(): string {
    return `item_${this.itemCounter++}`;
  }

  /** Passes an event to the running turn's consumer, noting routes and usage on the way. */
  forward(event: AgentEvent): void {
    if (event.type === "item.completed" && event.item.type === "route_decision")
      this.routes.set(event.item.role, event.item);
    if (event.type === "turn.completed") this.usage.turnCompleted(event.usage);
    if (event.type === "turn.failed") this.usage.turnFailed();
    this.push(event);
  }

  /** An event the thread itself reports: written to the session, then passed on. */
  record(event: AgentEvent): void {
    if (this.file && !this.file.readOnly) this.file.appendEvent(event);
    this.forward(event);
  }

  /** An event from outside the turn's loop (approvals, an interrupt). */
  outOfBand(event: AgentEvent): void {
    if (isTransientEvent(event)) this.forward(event);
    else this.record(event);
  }

  /**
   * A notice item, recorded and passed on; returns its event. `forward: false`: recorded only
   * (the caller shows it: a notice from outside the turn, such as a pinned profile).
   */
  notice(message: string, options: { forward?: boolean } = {}): AgentEvent {
    const event: AgentEvent = {
      type: "item.completed",
      item: { id: this.nextItemId(), type: "notice", message },
    };
    if (options.forward === false) {
      if (this.file && !this.file.readOnly) this.file.appendEvent(event);
    } else this.record(event);
    return event;
  }
}
