import { approvalIntent, noteIntent } from "./approval-intents.js";
import {
  bufferFromText,
  concatBuffers,
  edit,
  emptyBuffer,
  fromJson,
  insertMention,
  isBlank,
  removeBeforeCursor,
  toJson,
  toModelText,
  withoutPrefix,
} from "./composer-buffer.js";
import { historyFrom, remember } from "./input-history.js";
import type { Intent } from "./keymap.js";
import {
  clamp,
  composerOf,
  draftEffect,
  editBuffer,
  historyOrMove,
  interrupt,
  isOpen,
  noApprovals,
  notice,
  onThreadEvent,
  withComposer,
} from "./session-helpers.js";
import { openPicker, pickerIntent } from "./picker-intents.js";
import { matchCommands, parseSlash, resolveSlash, slashMessage } from "./slash-parse.js";
import {
  isBusy,
  type Effect,
  type Reduction,
  type SessionEvent,
  type SessionState,
} from "./session-state.js";

/** How long a first Ctrl+C (or Ctrl+C on an empty composer) keeps the second one armed to quit. */
export const QUIT_ARM_MS = 2000;
const QUIT_HINT = "Ctrl+C again to quit (waiting inputs stay saved for hedge resume)";

/**
 * The session's input state machine (design section 4): pure, no I/O. Every submit asks the
 * runtime to store the input first (`persist`) and clears the composer only once the runtime
 * reports it stored (`inputPersisted`), so no key sequence makes text vanish. Restored text comes
 * back only from the runtime (`interruptSettled`, `pulledBack`, `resumed`): Esc never moves
 * pending inputs by itself, it asks for an interrupt.
 */
export function reduce(state: SessionState, event: SessionEvent): Reduction {
  switch (event.type) {
    case "intent":
      return onIntent(state, event.intent, event.now);
    case "inputPersisted": {
      const input = event.input;
      const stored = state.persisting;
      const submitted = stored !== null && toJson(state.composer) === stored;
      // Text typed after the stored one (it was still in the composer): only that stays.
      const storedBuffer = stored === null ? undefined : fromJson(stored, "");
      const typedAfter =
        !submitted && storedBuffer ? withoutPrefix(state.composer, storedBuffer) : undefined;
      const next: SessionState = {
        ...state,
        persisting: null,
        submitAfterPersist: null,
        pending: isOpen(input)
          ? [...state.pending.filter(({ id }) => id !== input.id), input]
          : state.pending,
        ...(submitted || typedAfter
          ? {
              composer: typedAfter ?? emptyBuffer,
              restoredIds: [],
              history: remember(state.history, storedBuffer ?? state.composer),
              overlay: { type: "none" },
              dismissedAt: null,
            }
          : {}),
      };
      // An Enter pressed meanwhile on the text typed after it: submitted now, not dropped.
      if (state.submitAfterPersist && typedAfter) return submit(next, state.submitAfterPersist);
      return { state: next, effects: [] };
    }
    case "inputPersistFailed":
      return {
        state: {
          ...state,
          persisting: null,
          submitAfterPersist: null,
          notice: { text: event.message, tone: "error" },
        },
        effects: [],
      };
    case "runStarted":
      return {
        state: { ...state, phase: state.phase === "idle" ? "starting" : state.phase },
        effects: [],
      };
    case "runEnded":
      // An interrupt's end is `interruptSettled` (with the inputs handed back), not this.
      if (state.phase === "interrupting") return { state, effects: [] };
      return { state: { ...state, phase: "idle", ...noApprovals }, effects: [] };
    case "thread":
      return { state: onThreadEvent(state, event.event), effects: [] };
    case "interruptSettled": {
      const restored = [...event.restored].sort((a, b) => a.seq - b.seq);
      const ids = new Set(restored.map(({ id }) => id));
      return withComposer(
        {
          ...state,
          phase: "idle",
          ...noApprovals,
          pending: state.pending.filter(({ id }) => !ids.has(id)),
          restoredIds: [...restored.map(({ id }) => id), ...state.restoredIds],
        },
        concatBuffers([...restored.map(composerOf), state.composer]),
      );
    }
    case "pulledBack": {
      if (!event.input) return notice(state, "That input was already sent to the model", "warning");
      const input = event.input;
      return withComposer(
        {
          ...state,
          pending: state.pending.filter(({ id }) => id !== event.id),
          restoredIds: [input.id, ...state.restoredIds],
        },
        concatBuffers([composerOf(input), state.composer]),
      );
    }
    case "mentionResults": {
      const overlay = state.overlay;
      if (overlay.type !== "mention" || overlay.query !== event.query)
        return { state, effects: [] };
      const selected = Math.min(overlay.selected, Math.max(0, event.paths.length - 1));
      return {
        state: { ...state, overlay: { ...overlay, results: event.paths, selected } },
        effects: [],
      };
    }
    case "resumed": {
      const restored = [...event.restored].sort((a, b) => a.seq - b.seq);
      const draft = event.draft ? fromJson(event.draft.composer, "") : emptyBuffer;
      const count = restored.length;
      const next = withComposer(
        {
          ...state,
          restoredIds: [...restored.map(({ id }) => id), ...(event.draft?.restoredIds ?? [])],
        },
        concatBuffers([...restored.map(composerOf), draft]),
      );
      if (count === 0) return next;
      const text = `${count} input${count === 1 ? " was" : "s were"} not delivered; ${count === 1 ? "it is" : "they are"} back in the composer`;
      return { state: { ...next.state, notice: { text, tone: "info" } }, effects: next.effects };
    }
    case "history":
      return { state: { ...state, history: historyFrom(event.entries) }, effects: [] };
    case "pagerLayout": {
      const pager = state.pager;
      if (!pager || (pager.max === event.max && pager.page === event.page))
        return { state, effects: [] };
      const offset = Math.min(pager.offset, event.max);
      return {
        state: { ...state, pager: { offset, max: event.max, page: event.page } },
        effects: [],
      };
    }
    case "notice":
      return { state: { ...state, notice: event.notice }, effects: [] };
    case "openPicker":
      return { state: openPicker(state, event.picker), effects: [] };
    case "tick":
      if (state.quitArmedUntil === null || event.now < state.quitArmedUntil)
        return { state, effects: [] };
      return {
        state: {
          ...state,
          quitArmedUntil: null,
          notice: state.notice?.text === QUIT_HINT ? null : state.notice,
        },
        effects: [],
      };
  }
}

function onIntent(state: SessionState, intent: Intent, now: number): Reduction {
  if (state.exiting) return { state, effects: [] };
  switch (intent.type) {
    case "ctrlC":
      return ctrlC(state, now);
    case "expandRole":
      return {
        state: { ...state, rolesExpanded: !state.rolesExpanded },
        effects: [{ type: "ui", action: "expandRole" }],
      };
    case "redraw":
      return { state, effects: [{ type: "ui", action: "redraw" }] };
    case "openPager":
      return { state: { ...state, pager: { offset: 0, max: 0, page: 1 } }, effects: [] };
    case "closePager":
      return { state: { ...state, pager: null }, effects: [] };
    case "scroll":
      return { state: scroll(state, intent.by), effects: [] };
    case "toggleApprovalFocus":
      if (state.approvals.length === 0) return { state, effects: [] };
      return {
        state: { ...state, approvalFocus: state.approvalFocus === "panel" ? "composer" : "panel" },
        effects: [],
      };
    default:
  }
  if (state.approvals.length > 0 && state.approvalFocus === "panel")
    return approvalIntent(state, intent);
  if (state.approvals.length > 0 && state.approvalFocus === "note")
    return noteIntent(state, intent);
  if (state.picker) return pickerIntent(state, intent);
  // While a role is expanded (Ctrl+T), Up/Down choose which one (no popup is open then).
  if (
    state.rolesExpanded &&
    state.overlay.type === "none" &&
    (intent.type === "up" || intent.type === "down")
  )
    return {
      state,
      effects: [{ type: "ui", action: intent.type === "up" ? "previousRole" : "nextRole" }],
    };
  return composeIntent(state, intent);
}

function composeIntent(state: SessionState, intent: Intent): Reduction {
  const popup = popupIntent(state, intent);
  if (popup) return popup;
  switch (intent.type) {
    case "submit":
      return submit(state, "submit");
    case "queue":
      return submit(state, "queue");
    case "interrupt":
      if (state.phase === "starting" || state.phase === "running") return interrupt(state);
      return { state: state.notice ? { ...state, notice: null } : state, effects: [] };
    case "pullBack": {
      const last = [...state.pending].reverse().find(isOpen);
      if (!last) return notice(state, "Nothing is waiting to be sent", "info");
      return { state, effects: [{ type: "pullBack", id: last.id }] };
    }
    case "ctrlD":
      if (isBlank(state.composer) && !isBusy(state)) return quit(state);
      return withComposer(state, edit(state.composer, "delete"));
    case "up":
    case "down":
      return historyOrMove(state, intent.type);
    default: {
      const composer = editBuffer(state.composer, intent);
      return composer ? withComposer(state, composer) : { state, effects: [] };
    }
  }
}

/** Enter, Tab, Esc and Up/Down while a popup shows (row 1 and 2 of the design's table). */
function popupIntent(state: SessionState, intent: Intent): Reduction | undefined {
  const overlay = state.overlay;
  if (overlay.type === "none") return undefined;
  const count =
    overlay.type === "slash"
      ? matchCommands(overlay.query, isBusy(state)).length
      : (overlay.results?.length ?? 0);
  if (intent.type === "interrupt") {
    return {
      state: { ...state, overlay: { type: "none" }, dismissedAt: state.composer.text },
      effects: [],
    };
  }
  if (count === 0) return undefined;
  if (intent.type === "up" || intent.type === "down") {
    const selected = clamp(overlay.selected + (intent.type === "up" ? -1 : 1), count);
    return { state: { ...state, overlay: { ...overlay, selected } }, effects: [] };
  }
  if (intent.type !== "submit" && intent.type !== "queue") return undefined;
  if (overlay.type === "mention") {
    const path = overlay.results?.[overlay.selected];
    if (path === undefined) return undefined;
    const without = removeBeforeCursor(state.composer, overlay.query.length + 1);
    return withComposer({ ...state, overlay: { type: "none" } }, insertMention(without, path));
  }
  const match = matchCommands(overlay.query, isBusy(state))[overlay.selected];
  if (!match) return undefined;
  if (!match.enabled)
    return notice(state, slashMessage({ type: "busy", command: match.command }), "warning");
  const completed = bufferFromText(`/${match.command.name}${match.command.argsHint ? " " : ""}`);
  const next = withComposer({ ...state, overlay: { type: "none" } }, completed);
  // Enter on a command that needs no arguments runs it at once.
  if (intent.type === "submit" && !match.command.argsRequired) {
    const ran = submit({ ...next.state, overlay: { type: "none" } }, "submit");
    return { state: ran.state, effects: [...next.effects, ...ran.effects] };
  }
  return {
    ...next,
    state: { ...next.state, overlay: { type: "none" }, dismissedAt: completed.text },
  };
}

/** Enter (steer when busy) or Tab (queue when busy); both start a turn when idle. */
function submit(state: SessionState, how: "submit" | "queue"): Reduction {
  if (state.persisting !== null)
    // The same text again: it is being sent already. New text: sent once that one is stored.
    return toJson(state.composer) === state.persisting
      ? { state, effects: [] }
      : { state: { ...state, submitAfterPersist: how }, effects: [] };
  const text = toModelText(state.composer);
  if (text.trim() === "") return { state, effects: [] };
  const busy = isBusy(state);
  const slash = parseSlash(text);
  if (slash) {
    const resolution = resolveSlash(slash, busy);
    if (resolution.type !== "run") return notice(state, slashMessage(resolution), "warning");
    if (resolution.command.name === "quit") return quit({ ...state, composer: emptyBuffer });
    if (resolution.command.argsRequired && resolution.args === "")
      return notice(
        state,
        `Type ${resolution.command.argsHint} after /${resolution.command.name}`,
        "info",
      );
    return {
      state: {
        ...state,
        composer: emptyBuffer,
        history: remember(state.history, state.composer),
        overlay: { type: "none" },
        notice: null,
      },
      effects: [
        { type: "slash", name: resolution.command.name, args: resolution.args },
        ...draftEffect({ ...state, composer: emptyBuffer }),
      ],
    };
  }
  const shell = text.trimStart().startsWith("!");
  if (shell && busy)
    return notice(state, "Shell commands run between turns (Esc interrupts this one)", "warning");
  if (shell && text.trimStart().slice(1).trim() === "") return { state, effects: [] };
  const kind =
    state.phase === "starting" || state.phase === "running"
      ? how === "submit"
        ? "steer"
        : "queue"
      : "turn";
  return {
    state: { ...state, persisting: toJson(state.composer), notice: null },
    effects: [
      {
        type: "persist",
        kind,
        text: shell ? text.trimStart().slice(1).trim() : text,
        composer: toJson(state.composer),
        supersedes: state.restoredIds,
        shell,
      },
    ],
  };
}

function scroll(state: SessionState, by: Extract<Intent, { type: "scroll" }>["by"]): SessionState {
  const pager = state.pager;
  if (!pager) return state;
  const target =
    by === "top"
      ? 0
      : by === "bottom"
        ? pager.max
        : by === "pageUp"
          ? pager.offset - pager.page
          : by === "pageDown"
            ? pager.offset + pager.page
            : pager.offset + by;
  return { ...state, pager: { ...pager, offset: Math.max(0, Math.min(pager.max, target)) } };
}

function ctrlC(state: SessionState, now: number): Reduction {
  // Ctrl+C in the pager closes it first.
  if (state.pager) return { state: { ...state, pager: null }, effects: [] };
  if (state.quitArmedUntil !== null && now < state.quitArmedUntil) return quit(state);
  const armed: SessionState = {
    ...state,
    quitArmedUntil: now + QUIT_ARM_MS,
    notice: { text: QUIT_HINT, tone: "info" },
  };
  if (state.phase === "starting" || state.phase === "running") {
    const stopped = interrupt(armed);
    return stopped;
  }
  if (state.phase === "interrupting" || isBlank(state.composer))
    return { state: armed, effects: [] };
  // Clearing a composer keeps its text in Up history; restored inputs in it are dealt with.
  const cleared: SessionState = {
    ...armed,
    composer: emptyBuffer,
    restoredIds: [],
    history: remember(state.history, state.composer),
    overlay: { type: "none" },
  };
  const effects: Effect[] =
    state.restoredIds.length > 0 ? [{ type: "supersede", ids: state.restoredIds }] : [];
  return { state: cleared, effects: [...effects, ...draftEffect(cleared)] };
}

function quit(state: SessionState): Reduction {
  return { state: { ...state, exiting: true }, effects: [...draftEffect(state), { type: "quit" }] };
}
