import { z } from "zod";

/** One thing the scripted model does; a step (one model reply) is a list of them. */
export const actionSchema = z.union([
  z.strictObject({ read: z.string() }),
  /** The file's whole new content (sent as an apply_patch that replaces or adds it). */
  z.strictObject({ write: z.string(), content: z.string() }),
  /** A raw apply_patch input, sent as is (a malformed edit on purpose). */
  z.strictObject({ patch: z.string() }),
  z.strictObject({ run: z.array(z.string()).min(1) }),
  z.strictObject({ say: z.string() }),
]);
export type Action = z.infer<typeof actionSchema>;

/** `scripted.json`: what the CI model does on the task, and after failed tests. */
export const scriptedTaskSchema = z.strictObject({
  attempt: z.array(z.array(actionSchema).min(1)),
  after_feedback: z.array(z.array(actionSchema).min(1)).default([]),
});
export type ScriptedTask = z.infer<typeof scriptedTaskSchema>;
