import { z } from "zod";

/** What `hedge stats` can group model calls by. */
export const statsGroupingSchema = z.enum(["role", "model", "profile", "provider", "verdict"]);
/** What `hedge stats` can group model calls by. */
export type StatsGrouping = z.infer<typeof statsGroupingSchema>;
/** Every grouping, in the order `--by` names them. */
export const STATS_GROUPINGS = statsGroupingSchema.options;

/** What `stats` is asked: calls since an instant (epoch ms), grouped. */
export const statsQuerySchema = z.object({
  since: z.number().int().min(0),
  by: statsGroupingSchema,
});
/** What `stats` is asked: calls since an instant (epoch ms), grouped. */
export type StatsQuery = z.infer<typeof statsQuerySchema>;

/** One group of model calls: counts, tokens, cost, latency and QA verdicts. */
export const statsRowSchema = z.object({
  key: z.string(),
  calls: z.number(),
  errors: z.number(),
  /** Calls the caller cancelled or hung up on (499 client_closed): not the provider's errors. */
  cancelled: z.number(),
  input_tokens: z.number(),
  cached_input_tokens: z.number(),
  output_tokens: z.number(),
  tool_calls: z.number(),
  cost_usd: z.number(),
  /** Calls without a price in the table (their cost is not in `cost_usd`). */
  unpriced_calls: z.number(),
  p50_latency_ms: z.number().nullable(),
  p50_ttft_ms: z.number().nullable(),
  qa: z.object({ pass: z.number(), add_tasks: z.number(), block: z.number() }),
});
/** One group of model calls: counts, tokens, cost, latency and QA verdicts. */
export type StatsRow = z.infer<typeof statsRowSchema>;

/** `hedge stats --json`: every recorded model call since an instant, grouped. */
export const statsViewSchema = z.object({
  since: z.string(),
  by: statsGroupingSchema,
  rows: z.array(statsRowSchema),
  /**
   * Where the rows come from: the raw audit log alone (`raw`; exact percentiles), or per-minute
   * and per-day rollups for the time the raw log no longer holds (`rollups`: percentiles are
   * the upper bound of a histogram bucket). Absent from older gateways.
   */
  source: z.enum(["raw", "rollups"]).optional(),
});
/** `hedge stats --json`: every recorded model call since an instant, grouped. */
export type StatsView = z.infer<typeof statsViewSchema>;
