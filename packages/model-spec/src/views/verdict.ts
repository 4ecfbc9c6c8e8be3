import { z } from "zod";

/** What the QA verifier can answer about a turn. */
export const verdictKindSchema = z.enum(["pass", "add_tasks", "block"]);
/** What the QA verifier can answer about a turn. */
export type VerdictKind = z.infer<typeof verdictKindSchema>;

/** A QA verdict to count in `hedge stats` (it has no model call of its own). */
export const verdictRecordSchema = z.object({
  /** The QA model that judged (its stats row counts the verdict). */
  model: z.string().min(1).max(512),
  verdict: verdictKindSchema,
  session: z.string().max(256).optional(),
  turn: z.string().max(256).optional(),
});
/** A QA verdict to count in `hedge stats` (it has no model call of its own). */
export type VerdictRecord = z.infer<typeof verdictRecordSchema>;
