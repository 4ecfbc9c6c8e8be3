import type { ApprovalRequest } from "@hedge/core";
import type { ReactNode } from "react";
import { layoutApproval } from "../layout/approval-layout.js";
import type { ComposerView } from "../layout/composer-layout.js";
import { StyledLines } from "./styled-lines.js";

export interface ApprovalPromptProps {
  /** The `approval.requested` event's request. */
  request: ApprovalRequest;
  /** The highlighted answer: 0 once, 1 this session, 2 deny, 3 deny with a note. */
  selected: number;
  /** The note being written, when "deny with a note" was chosen. */
  note?: ComposerView;
  /** "composer": keys go to the composer (steering while the prompt waits). Default "panel". */
  focus?: "panel" | "composer";
  /** Approvals queued behind this one. */
  waiting?: number;
  /** The patch's diff, if the runtime has it (core sends paths and kinds only today). */
  diff?: string;
  width: number;
  maxHeight: number;
}

/** Asks before a command or a patch runs: the request, where, why, and the four answers. */
export function ApprovalPrompt(props: ApprovalPromptProps): ReactNode {
  const lines = layoutApproval(props.request, {
    width: props.width,
    maxHeight: props.maxHeight,
    selected: props.selected,
    note: props.note,
    focus: props.focus ?? "panel",
    waiting: props.waiting ?? 0,
    diff: props.diff,
  });
  return <StyledLines lines={lines} />;
}
