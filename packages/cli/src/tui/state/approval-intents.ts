import { emptyBuffer, toModelText } from "./composer-buffer.js";
import type { Intent } from "./keymap.js";
import { clamp, editBuffer, interrupt, noApprovals } from "./session-helpers.js";
import {
  APPROVAL_CHOICES,
  type ApprovalChoice,
  type Reduction,
  type SessionState,
} from "./session-state.js";

// Keys while an approval waits: the prompt's answers, and the note of a "deny with a note".

export function approvalIntent(state: SessionState, intent: Intent): Reduction {
  switch (intent.type) {
    case "answer":
      return answer(state, intent.choice);
    case "submit":
      return answer(state, APPROVAL_CHOICES[state.approvalSelected] ?? "deny");
    case "up":
    case "down": {
      const step = intent.type === "up" ? -1 : 1;
      const selected = clamp(state.approvalSelected + step, APPROVAL_CHOICES.length);
      return { state: { ...state, approvalSelected: selected }, effects: [] };
    }
    case "interrupt":
      return interrupt(state);
    default:
      return { state, effects: [] };
  }
}

export function answer(state: SessionState, choice: ApprovalChoice): Reduction {
  const shown = state.approvals[0];
  if (!shown) return { state, effects: [] };
  if (choice === "deny_with_note")
    return { state: { ...state, approvalFocus: "note", note: emptyBuffer }, effects: [] };
  return {
    state: {
      ...state,
      approvals: state.approvals.slice(1),
      approvalFocus: "panel",
      approvalSelected: 0,
    },
    effects: [{ type: "answerApproval", requestId: shown.requestId, answer: { type: choice } }],
  };
}

export function noteIntent(state: SessionState, intent: Intent): Reduction {
  const shown = state.approvals[0];
  switch (intent.type) {
    case "submit":
      if (!shown) return { state, effects: [] };
      return {
        state: { ...state, ...noApprovals, approvals: state.approvals.slice(1) },
        effects: [
          {
            type: "answerApproval",
            requestId: shown.requestId,
            answer: { type: "deny_with_note", note: toModelText(state.note) },
          },
        ],
      };
    case "interrupt":
      return { state: { ...state, approvalFocus: "panel", note: emptyBuffer }, effects: [] };
    default: {
      const note = editBuffer(state.note, intent);
      return { state: note ? { ...state, note } : state, effects: [] };
    }
  }
}
