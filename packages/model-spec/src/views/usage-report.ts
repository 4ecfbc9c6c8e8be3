import { z } from "zod";

/** One rate-limit window of a profile, as `hedge usage --json` prints it. */
export const usageWindowViewSchema = z.object({
  name: z.string(),
  /** `*` for account-wide windows, else the model family. */
  family: z.string(),
  /** Where the numbers come from: `headers`, `local`, `codex-session`... */
  source: z.string(),
  unit: z.string(),
  /** Share left, 0 to 1 (rounded to 3 decimals). */
  left: z.number(),
  limit: z.number().optional(),
  remaining: z.number().optional(),
  reset_at: z.string().optional(),
  reset_in_s: z.number().optional(),
  updated_at: z.string(),
  /** Older than `usage.snapshot_ttl` and past its reset: not trusted for routing. */
  stale: z.boolean(),
});
/** One rate-limit window of a profile. */
export type UsageWindowView = z.infer<typeof usageWindowViewSchema>;

/** A profile's headroom: every window, the tightest share left, a cooldown, the last switch. */
export const profileUsageViewSchema = z.object({
  profile: z.string(),
  provider: z.string(),
  kind: z.string(),
  /** The share left in the tightest fresh window (1 when nothing is known). */
  left: z.number(),
  windows: z.array(usageWindowViewSchema),
  cooldown: z
    .object({ route: z.string(), kind: z.string(), until: z.string(), reason: z.string() })
    .nullable(),
  last_switch: z
    .object({ at: z.string(), from: z.string(), to: z.string(), reason: z.string() })
    .nullable(),
});
/** A profile's headroom: every window, the tightest share left, a cooldown, the last switch. */
export type ProfileUsageView = z.infer<typeof profileUsageViewSchema>;

/** One provider's pool of profiles in a line: how many have room, are low, out, cooling down. */
export const poolUsageViewSchema = z.object({
  provider: z.string(),
  profiles: z.number(),
  /** At or above `switch_below` and not cooling down. */
  with_room: z.number(),
  /** Under `switch_below`, not exhausted. */
  low: z.number(),
  exhausted: z.number(),
  cooling_down: z.number(),
});
/** One provider's pool of profiles in a line. */
export type PoolUsageView = z.infer<typeof poolUsageViewSchema>;

/** `hedge usage --json`: headroom per profile and window, with resets. */
export const usageReportViewSchema = z.object({
  /** The Store the state is read from (`sqlite`, `redis`, `memory`). */
  store: z.string(),
  /** `usage.switch_below`: under this share left, work moves to another profile. */
  switch_below: z.number(),
  /** Per provider, in the order of `profiles` (absent from gateways before this field). */
  pools: z.array(poolUsageViewSchema).optional(),
  /** Grouped by provider; within a provider, the most headroom first. */
  profiles: z.array(profileUsageViewSchema),
});
/** `hedge usage --json`: headroom per profile and window, with resets. */
export type UsageReportView = z.infer<typeof usageReportViewSchema>;
