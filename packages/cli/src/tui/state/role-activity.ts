import type { AgentEvent } from "@hedge/core";
import { formatElapsed, formatTokens, shortModel } from "./format.js";
import { cleanLine, cleanText } from "./sanitize.js";
import { splitLines } from "./text-layout.js";

/** What one role is doing now (from `role.activity`), for the live panel. */
export interface RoleRow {
  role: string;
  phase: "model" | "tool" | "checking";
  model: string;
  profile: string | null;
  /** Epoch ms this phase started. */
  startedAt: number;
  /** One line: the command running, the files being checked. */
  action?: string;
  /** Tokens this role's model calls used in this turn (reported after each call). */
  tokens: number;
  /** The role's current output: its streaming text or its command's output, last lines. */
  output: readonly string[];
}

/** Every role's row while a turn runs; rows leave when their role goes idle. */
export interface RolesState {
  readonly rows: Readonly<Record<string, RoleRow>>;
  /** Tokens per role this turn (kept while a role is idle between phases). */
  readonly tokens: Readonly<Record<string, number>>;
  /** Side-question item ids: their text is not a role's output. */
  readonly asides: readonly string[];
}

export const EMPTY_ROLES: RolesState = { rows: {}, tokens: {}, asides: [] };

/** Lines of output an expanded row keeps. */
export const ROLE_OUTPUT_LINES = 8;
const ROLE_ORDER = ["orchestrator", "executor", "qa"];

/** The next roles state after an event (the same object when the event changes nothing). */
export function applyRoleEvent(state: RolesState, event: AgentEvent): RolesState {
  switch (event.type) {
    case "turn.started":
      return { ...EMPTY_ROLES, asides: state.asides };
    case "turn.completed":
    case "turn.failed":
    case "turn.interrupted":
      return { ...EMPTY_ROLES, asides: state.asides };
    case "role.activity":
      return activity(state, event);
    case "usage.updated": {
      const call = event.call;
      const used = call.input_tokens + call.output_tokens;
      const tokens = { ...state.tokens, [event.role]: (state.tokens[event.role] ?? 0) + used };
      const row = state.rows[event.role];
      return {
        ...state,
        tokens,
        rows: row
          ? { ...state.rows, [event.role]: { ...row, tokens: tokens[event.role] ?? 0 } }
          : state.rows,
      };
    }
    case "item.started":
      if (event.item.type === "aside")
        return { ...state, asides: [...state.asides, event.item.id] };
      return state;
    case "item.completed":
      if (event.item.type === "aside")
        return { ...state, asides: state.asides.filter((id) => id !== event.item.id) };
      return state;
    case "item.delta": {
      if (state.asides.includes(event.item_id)) return state;
      return appendOutput(state, "model", event.delta);
    }
    case "item.updated":
      if (event.item.type !== "command_execution") return state;
      return replaceOutput(state, "tool", event.item.aggregated_output);
    default:
      return state;
  }
}

/** The rows to show, in role order (orchestrator, executor, qa, then others). */
export function roleRows(state: RolesState): RoleRow[] {
  const rank = (role: string): number => {
    const index = ROLE_ORDER.indexOf(role);
    return index < 0 ? ROLE_ORDER.length : index;
  };
  return Object.values(state.rows).sort(
    (a, b) => rank(a.role) - rank(b.role) || a.role.localeCompare(b.role),
  );
}

/** A row in words: "planning", "running `pnpm test`", "checking 3 changed files". */
export function roleDoing(row: RoleRow): string {
  if (row.action) return row.action;
  if (row.phase === "tool") return "running a tool";
  if (row.phase === "checking") return "checking";
  if (row.role === "orchestrator") return "planning";
  if (row.role === "qa") return "checking";
  return "thinking";
}

/** A row's details: model, profile, elapsed time, tokens so far. */
export function roleDetails(row: RoleRow, now: number): string[] {
  return [
    shortModel(row.model),
    ...(row.profile ? [row.profile] : []),
    formatElapsed(now - row.startedAt),
    ...(row.tokens > 0 ? [`${formatTokens(row.tokens)} tok`] : []),
  ];
}

function activity(
  state: RolesState,
  event: Extract<AgentEvent, { type: "role.activity" }>,
): RolesState {
  const rows = { ...state.rows };
  if (event.phase === "idle") {
    delete rows[event.role];
    return { ...state, rows };
  }
  const previous = rows[event.role];
  // A new phase starts with empty output; a profile learnt mid-phase keeps it.
  const samePhase = previous?.phase === event.phase && previous.action === event.action;
  rows[event.role] = {
    role: cleanLine(event.role),
    phase: event.phase,
    model: cleanLine(event.model),
    profile: event.profile === null ? null : cleanLine(event.profile),
    startedAt: samePhase ? previous.startedAt : event.started_at,
    ...(event.action === undefined ? {} : { action: cleanLine(event.action) }),
    tokens: state.tokens[event.role] ?? 0,
    output: samePhase ? previous.output : [],
  };
  return { ...state, rows };
}

/** Streaming text goes to the role on a model (one streams at a time in a turn). */
function appendOutput(state: RolesState, phase: RoleRow["phase"], delta: string): RolesState {
  const row = Object.values(state.rows).find((candidate) => candidate.phase === phase);
  if (!row) return state;
  const joined = `${row.output.join("\n")}${delta}`;
  return withOutput(state, row, lastOutputLines(joined));
}

/** A running command's output so far replaces what its role showed. */
function replaceOutput(state: RolesState, phase: RoleRow["phase"], output: string): RolesState {
  const row = Object.values(state.rows).find((candidate) => candidate.phase === phase);
  if (!row) return state;
  return withOutput(state, row, lastOutputLines(output));
}

function withOutput(state: RolesState, row: RoleRow, output: string[]): RolesState {
  const key = Object.keys(state.rows).find((role) => state.rows[role] === row) ?? row.role;
  return { ...state, rows: { ...state.rows, [key]: { ...row, output } } };
}

function lastOutputLines(text: string): string[] {
  const lines = text.endsWith("\n") ? [...splitLines(text), ""] : splitLines(text);
  return lines.slice(-ROLE_OUTPUT_LINES).map((line) => cleanText(line));
}
