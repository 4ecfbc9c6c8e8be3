import { z } from "zod";

/** One scoring of the worktree: after the agent's first answer, or after the feedback. */
export const tryResultSchema = z.object({
  try: z.number().int().min(1),
  passed: z.boolean(),
  timed_out: z.boolean(),
  test_ms: z.number(),
});
export type TryResult = z.infer<typeof tryResultSchema>;

/** The route a role took, as the thread reported it. */
export const attemptRouteSchema = z.object({
  role: z.string(),
  provider: z.string(),
  profile: z.string().nullable(),
  upstream_model: z.string(),
});

/** The line `attempts.jsonl` gets when an attempt ends (one per attempt id, ever). */
export const finishedRecordSchema = z.object({
  v: z.literal(1),
  event: z.literal("finished"),
  attempt: z.string(),
  run: z.string(),
  task: z.string(),
  tags: z.array(z.string()),
  sample: z.number().int().min(0),
  toolset: z.string(),
  roles: z.object({
    executor: z.string(),
    orchestrator: z.string().nullable(),
    qa: z.string().nullable(),
  }),
  routes: z.array(attemptRouteSchema),
  tries: z.array(tryResultSchema),
  passed_1: z.boolean(),
  passed_2: z.boolean(),
  tokens: z.object({ input: z.number(), cached_input: z.number(), output: z.number() }),
  /** null when some call had no price (a local model, or one missing from the table). */
  cost_usd: z.number().nullable(),
  wall_ms: z.number(),
  tool_calls: z.number(),
  malformed_edits: z.number(),
  edits_outside: z.number(),
  /** Tests killed at their timeout, over both tries. */
  test_timeouts: z.number(),
  session: z.string().nullable(),
  hedge_commit: z.string().nullable(),
  dirty: z.boolean(),
  task_set_hash: z.string(),
  /** Why the attempt could not be scored normally (a failed turn, a sandbox error); it counts as failed. */
  error: z.string().nullable(),
});
/** A finished attempt. */
export type FinishedRecord = z.infer<typeof finishedRecordSchema>;

/** Written before an attempt starts: a `started` without a `finished` is an attempt killed mid-way. */
export const startedRecordSchema = z.object({
  v: z.literal(1),
  event: z.literal("started"),
  attempt: z.string(),
  task: z.string(),
  sample: z.number(),
  toolset: z.string(),
  at: z.string(),
});

/** Written on resume for a `started` with no `finished`: it is run again from a fresh worktree. */
export const abandonedRecordSchema = z.object({
  v: z.literal(1),
  event: z.literal("abandoned"),
  attempt: z.string(),
  at: z.string(),
});

/** Any line of `attempts.jsonl`. */
export const attemptLineSchema = z.discriminatedUnion("event", [
  finishedRecordSchema,
  startedRecordSchema,
  abandonedRecordSchema,
]);
export type AttemptLine = z.infer<typeof attemptLineSchema>;
