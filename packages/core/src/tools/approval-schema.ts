import { z } from "zod";

/** One file touched by a patch, in the shape the exec JSONL `file_change` item needs. */
export const fileChangeSchema = z.object({
  /** Path relative to the workspace root. */
  path: z.string(),
  kind: z.enum(["add", "delete", "update"]),
  /** For a rename: the new path, relative to the workspace root. */
  move_to: z.exactOptional(z.string()),
  /** The change as a unified diff (`--- a/PATH`, `+++ b/PATH`, hunks), cut after 400 lines. */
  diff: z.exactOptional(z.string()),
});
export type FileChange = z.infer<typeof fileChangeSchema>;

/** What the user is asked to approve. */
export const approvalRequestSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("exec"),
    command: z.array(z.string()),
    cwd: z.string(),
    /** Why hedge asks, one line (e.g. "runs outside the sandbox: with_escalated_permissions"). */
    reason: z.string(),
    /** The model's own justification, when it gave one. */
    justification: z.exactOptional(z.string()),
    /** Whether the command would run inside the sandbox once approved. */
    sandboxed: z.boolean(),
  }),
  z.object({
    kind: z.literal("patch"),
    changes: z.array(fileChangeSchema),
    reason: z.string(),
  }),
  /** A tool of an MCP server (`approval_mode = "prompt"`, or the approval policy asks). */
  z.object({
    kind: z.literal("mcp_tool"),
    server: z.string(),
    tool: z.string(),
    arguments: z.unknown(),
    reason: z.string(),
  }),
]);
export type ApprovalRequest = z.infer<typeof approvalRequestSchema>;

/**
 * The user's answer (Codex's four): run it this once, run it and the same again this session
 * without asking, refuse, or refuse and tell the model why (the note reaches it).
 */
export const approvalAnswerSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("approve_once") }),
  z.object({ type: z.literal("approve_session") }),
  z.object({ type: z.literal("deny") }),
  z.object({ type: z.literal("deny_with_note"), note: z.string() }),
]);
export type ApprovalAnswer = z.infer<typeof approvalAnswerSchema>;

/** Whether an answer lets the action run. */
export function isApproved(answer: ApprovalAnswer): boolean {
  return answer.type === "approve_once" || answer.type === "approve_session";
}
