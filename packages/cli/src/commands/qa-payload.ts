import { z } from "zod";
import { HedgeError } from "@hedge/model-spec";

/**
 * A Stop hook payload: Claude Code's (`session_id`, `transcript_path`, `cwd`, `stop_hook_active`)
 * or Codex's hooks (the same plus `turn_id`, `model`, `last_assistant_message`). Other fields
 * are kept and ignored.
 */
const stopPayloadSchema = z.looseObject({
  hook_event_name: z.literal("Stop"),
  session_id: z.string().optional(),
  transcript_path: z.string().nullable().optional(),
  cwd: z.string().min(1),
  stop_hook_active: z.boolean().optional(),
  /** Codex (and newer Claude Code) send the final message; the transcript is the fallback. */
  last_assistant_message: z.string().nullable().optional(),
  turn_id: z.string().optional(),
});

/** Codex's `notify` program argument: fired after each turn; its output is ignored by Codex. */
const codexNotifySchema = z.looseObject({
  type: z.literal("agent-turn-complete"),
  "thread-id": z.string().optional(),
  "turn-id": z.string().optional(),
  cwd: z.string().min(1),
  "input-messages": z.array(z.string()),
  "last-assistant-message": z.string().nullable().optional(),
});

export type HookPayload =
  | {
      kind: "claude-code-stop" | "codex-stop";
      cwd: string;
      sessionId: string | undefined;
      /** Codex's turn id (Claude Code sends none). */
      turnId: string | undefined;
      transcriptPath: string | undefined;
      stopHookActive: boolean;
      lastMessage: string | undefined;
    }
  | {
      kind: "codex-notify";
      cwd: string;
      sessionId: string | undefined;
      turnId: string | undefined;
      prompt: string | undefined;
      lastMessage: string | undefined;
    };

/** Bad hook input: one line on stderr, exit 2. */
export function hookInputError(message: string): HedgeError {
  // Exit 1, not hedge's usual 2 for bad input: Claude Code and Codex read exit 2 from a Stop
  // hook as "block, and continue with this message"; a broken hook must not hold the agent.
  return new HedgeError("qa_bad_input", `qa: ${message}`, { exitCode: 1 });
}

/** Parses and recognises a hook payload by its fields; anything else is a {@link hookInputError}. */
export function parseHookPayload(text: string): HookPayload {
  if (!text.trim()) throw hookInputError("no hook payload: expected Stop hook JSON on stdin");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw hookInputError(
      "the hook payload is not JSON (expected a Claude Code or Codex Stop hook payload)",
    );
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw hookInputError("the hook payload is not a JSON object");
  }
  const fields = value as Record<string, unknown>;
  if (fields["type"] === "agent-turn-complete") {
    const notify = parseWith(codexNotifySchema, value, "Codex notify payload");
    return {
      kind: "codex-notify",
      cwd: notify.cwd,
      sessionId: notify["thread-id"],
      turnId: notify["turn-id"],
      prompt: notify["input-messages"].findLast((message) => message.trim().length > 0),
      lastMessage: notify["last-assistant-message"] ?? undefined,
    };
  }
  const event = fields["hook_event_name"];
  if (event === undefined) {
    throw hookInputError(
      "not a Stop hook payload: it has neither hook_event_name nor type agent-turn-complete",
    );
  }
  if (event !== "Stop") {
    throw hookInputError(
      `hedge qa is a Stop hook, got a ${typeof event === "string" ? event : JSON.stringify(event)} payload: register it under hooks.Stop`,
    );
  }
  const stop = parseWith(stopPayloadSchema, value, "Stop hook payload");
  return {
    kind: stop.turn_id === undefined ? "claude-code-stop" : "codex-stop",
    cwd: stop.cwd,
    sessionId: stop.session_id,
    turnId: stop.turn_id,
    transcriptPath: stop.transcript_path ?? undefined,
    stopHookActive: stop.stop_hook_active === true,
    lastMessage: stop.last_assistant_message?.trim() ? stop.last_assistant_message : undefined,
  };
}

function parseWith<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.join(".") ?? "";
  const problem =
    issue?.code === "invalid_type" && issue.input === undefined
      ? "is missing"
      : `is invalid (${issue?.message ?? "unexpected value"})`;
  throw hookInputError(`${what}: field ${field || "(root)"} ${problem}`);
}
