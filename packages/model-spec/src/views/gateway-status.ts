import { z } from "zod";

/** A route's breaker: its state, failures, cause and when it lets a probe through. */
export const breakerViewSchema = z.object({
  route: z.string(),
  state: z.string(),
  consecutive_failures: z.number(),
  recent_calls: z.number(),
  recent_failures: z.number(),
  opened_at: z.string().optional(),
  cause: z.string().optional(),
  until: z.string().optional(),
});
/** A route's breaker: its state, failures, cause and when it lets a probe through. */
export type BreakerView = z.infer<typeof breakerViewSchema>;

/**
 * A cooldown in force on a route, or on one model (family) of it; a `credential` or
 * `permission` one is a mark, which also ends at a re-login of the profile.
 */
export const cooldownViewSchema = z.object({
  route: z.string(),
  /** `route`, `family` or `model`. */
  scope: z.string(),
  model: z.string().optional(),
  kind: z.string(),
  mark: z.boolean(),
  since: z.string().optional(),
  until: z.string(),
  ends_at_relogin: z.boolean().optional(),
  reason: z.string(),
});
/** A cooldown (or mark) in force, with its scope, kind, cause and end. */
export type CooldownView = z.infer<typeof cooldownViewSchema>;

/** A failed attempt of a recent request (or a request every route was excluded from). */
export const recentErrorViewSchema = z.object({
  at: z.string(),
  request_id: z.string(),
  model: z.string(),
  /** `-` when no route was tried. */
  route: z.string(),
  upstream_model: z.string().optional(),
  provider: z.string().optional(),
  outcome: z.string(),
  status: z.number().optional(),
});
/** A failed attempt of a recent request. */
export type RecentErrorView = z.infer<typeof recentErrorViewSchema>;

/** `hedge gateway status --json`: breakers, cooldowns and marks, recent errors. */
export const gatewayStatusViewSchema = z.object({
  store: z.string(),
  /**
   * Present while the Store is unreachable: the gateway serves breakers, cooldowns and usage
   * from memory since then, and merges them back when it returns.
   */
  store_degraded: z.object({ since: z.string(), reason: z.string() }).optional(),
  /** Of the last requests scanned: how many failed, how many the caller cancelled. */
  recent: z.object({ requests: z.number(), failed: z.number(), cancelled: z.number() }),
  breakers: z.array(breakerViewSchema),
  cooldowns: z.array(cooldownViewSchema),
  recent_errors: z.array(recentErrorViewSchema),
});
/** `hedge gateway status --json`: breakers, cooldowns and marks, recent errors. */
export type GatewayStatusView = z.infer<typeof gatewayStatusViewSchema>;

/** What `status` is asked: how many recent requests to scan for errors. */
export const statusQuerySchema = z.object({
  limit: z.number().int().min(1).max(10_000).optional(),
});
/** What `status` is asked: how many recent requests to scan for errors. */
export type StatusQuery = z.infer<typeof statusQuerySchema>;
