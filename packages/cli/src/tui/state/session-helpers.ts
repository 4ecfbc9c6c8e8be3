import type { AgentEvent } from "@hedge/core";
import {
  cursorLine,
  edit,
  emptyBuffer,
  fromJson,
  insertPaste,
  insertText,
  isBlank,
  moveLine,
  toJson,
  type ComposerBuffer,
} from "./composer-buffer.js";
import { newer, older } from "./input-history.js";
import type { Intent } from "./keymap.js";
import { slashQuery } from "./slash-parse.js";
import type { Effect, Overlay, PendingView, Reduction, SessionState } from "./session-state.js";

// The session reducer's building blocks: composer edits and the popups that follow the text,
// thread events, and small shared helpers.

export const noApprovals = {
  approvals: [],
  approvalFocus: "panel",
  approvalSelected: 0,
  note: emptyBuffer,
} as const;

/** The composer's edits (typing, pasting, moving): undefined when `intent` is not one. */
export function editBuffer(buffer: ComposerBuffer, intent: Intent): ComposerBuffer | undefined {
  switch (intent.type) {
    case "insert":
      return insertText(buffer, intent.text);
    case "paste":
      return insertPaste(buffer, intent.text);
    case "newline":
      return insertText(buffer, "\n");
    case "edit":
      return edit(buffer, intent.command);
    default:
      return undefined;
  }
}

export function interrupt(state: SessionState): Reduction {
  return {
    state: { ...state, phase: "interrupting", approvalFocus: "panel", note: emptyBuffer },
    effects: [{ type: "interrupt" }],
  };
}

export function historyOrMove(state: SessionState, direction: "up" | "down"): Reduction {
  const { line, lines } = cursorLine(state.composer);
  const atEdge = direction === "up" ? line === 0 : line === lines - 1;
  if (!atEdge) return withComposer(state, moveLine(state.composer, direction === "up" ? -1 : 1));
  const recalled = (direction === "up" ? older : newer)(state.history, state.composer);
  if (!recalled) return { state, effects: [] };
  return withComposer({ ...state, history: recalled.history }, recalled.composer);
}

/** The composer changed: the popup follows the text, the draft is saved (debounced by the runner). */
export function withComposer(state: SessionState, composer: ComposerBuffer): Reduction {
  const changed = composer.text !== state.composer.text;
  const dismissedAt = changed ? null : state.dismissedAt;
  const { overlay, effects } = popupFor(state.overlay, composer, dismissedAt);
  const next: SessionState = {
    ...state,
    composer,
    overlay,
    dismissedAt,
    notice: changed && state.notice?.tone !== "error" ? null : state.notice,
  };
  return { state: next, effects: changed ? [...effects, ...draftEffect(next)] : effects };
}

function popupFor(
  previous: Overlay,
  composer: ComposerBuffer,
  dismissedAt: string | null,
): { overlay: Overlay; effects: Effect[] } {
  if (dismissedAt === composer.text) return { overlay: { type: "none" }, effects: [] };
  const slash = slashQuery(composer.text, composer.cursor);
  if (slash !== undefined) {
    const selected = previous.type === "slash" && previous.query === slash ? previous.selected : 0;
    return { overlay: { type: "slash", query: slash, selected }, effects: [] };
  }
  const mention = mentionQuery(composer);
  if (mention === undefined) return { overlay: { type: "none" }, effects: [] };
  if (previous.type === "mention" && previous.query === mention)
    return { overlay: previous, effects: [] };
  return {
    overlay: { type: "mention", query: mention, selected: 0, results: undefined },
    effects: [{ type: "searchFiles", query: mention }],
  };
}

/** The `@word` being typed at the cursor (not an existing mention), or undefined. */
export function mentionQuery(composer: ComposerBuffer): string | undefined {
  const { text, cursor } = composer;
  if (/^\S/.test(text.slice(cursor))) return undefined;
  if (composer.atoms.some((atom) => atom.end === cursor)) return undefined;
  const match = /(?:^|\s)@([^\s@]*)$/.exec(text.slice(0, cursor));
  return match ? (match[1] ?? "") : undefined;
}

export function draftEffect(state: SessionState): Effect[] {
  return [
    {
      type: "saveDraft",
      composer: isBlank(state.composer) ? undefined : toJson(state.composer),
      restoredIds: state.restoredIds,
    },
  ];
}

export function onThreadEvent(state: SessionState, event: AgentEvent): SessionState {
  switch (event.type) {
    case "turn.started":
      return state.phase === "starting" ? { ...state, phase: "running" } : state;
    case "input.delivered": {
      const ids = new Set(event.ids);
      return { ...state, pending: state.pending.filter(({ id }) => !ids.has(id)) };
    }
    case "input.deferred": {
      const ids = new Set(event.ids);
      return {
        ...state,
        pending: state.pending.map((input) =>
          ids.has(input.id) ? { ...input, state: "queued", deferred: true } : input,
        ),
      };
    }
    case "approval.requested":
      if (state.approvals.some(({ requestId }) => requestId === event.request_id)) return state;
      return {
        ...state,
        approvals: [...state.approvals, { requestId: event.request_id, request: event.request }],
        ...(state.approvals.length === 0 ? { approvalFocus: "panel", approvalSelected: 0 } : {}),
      };
    case "approval.resolved": {
      const shownWasIt = state.approvals[0]?.requestId === event.request_id;
      const approvals = state.approvals.filter(({ requestId }) => requestId !== event.request_id);
      if (approvals.length === state.approvals.length) return state;
      return shownWasIt
        ? { ...state, approvals, approvalFocus: "panel", approvalSelected: 0, note: emptyBuffer }
        : { ...state, approvals };
    }
    default:
      return state;
  }
}

export function notice(
  state: SessionState,
  text: string,
  tone: "info" | "warning" | "error",
): Reduction {
  return { state: { ...state, notice: { text, tone } }, effects: [] };
}

export function composerOf(input: PendingView): ComposerBuffer {
  return fromJson(input.composer, input.text);
}

export function isOpen(input: PendingView): boolean {
  return input.state === "pending_steer" || input.state === "queued";
}

export function clamp(value: number, count: number): number {
  return Math.max(0, Math.min(count - 1, value));
}
