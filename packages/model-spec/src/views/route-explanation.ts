import { z } from "zod";

/** What `explain` is asked: the model (or alias) a request would name, and who would ask. */
export const routeQuerySchema = z.object({
  model: z.string().min(1).max(512),
  /** The role asking (`orchestrator`, `executor`, `qa`), recorded in the plan's reasons. */
  role: z.string().max(64).optional(),
  /** A session id: its sticky route, when still a candidate, is named. */
  session: z.string().max(256).optional(),
  /** Only these login profiles may serve (a role's profile pool). */
  profiles: z.array(z.string().max(256)).max(256).optional(),
});
/** What `explain` is asked: the model (or alias) a request would name, and who would ask. */
export type RouteQuery = z.infer<typeof routeQuerySchema>;

/** One candidate route (provider x credential) and what became of it. */
export const explainedRouteSchema = z.object({
  /** `provider:credential`, the unit of health. */
  route: z.string(),
  provider: z.string(),
  /** The model id the provider knows. */
  model: z.string(),
  class: z.string(),
  region: z.string(),
  /** Where the credential comes from: `profile`, `env`, `config`, `caller`, `none`. */
  credential: z.string(),
  profile: z.string().optional(),
  /** Position in the try order (1 first), null when excluded. */
  order: z.number().int().nullable(),
  /** Why it is left out (breaker, cooldown, usage headroom), when it is. */
  excluded: z.string().optional(),
  /** When it may become usable again (ISO time), when known. */
  until: z.string().optional(),
});
/** One candidate route (provider x credential) and what became of it. */
export type ExplainedRoute = z.infer<typeof explainedRouteSchema>;

/** A route ruled out before it became a candidate: policy, no credential, an unknown fallback. */
export const ruledOutRouteSchema = z.object({
  route: z.string(),
  provider: z.string(),
  excluded: z.string(),
});
/** A route ruled out before it became a candidate: policy, no credential, an unknown fallback. */
export type RuledOutRoute = z.infer<typeof ruledOutRouteSchema>;

/**
 * A routing dry run (`hedge route explain --json`): every candidate in order, what was excluded
 * and why, and the error the request would fail with before any call, if it would.
 */
export const routeExplanationViewSchema = z.object({
  /** The model name after alias resolution. */
  model: z.string(),
  strategy: z.string(),
  /** The route this session used last, when it is still a candidate. */
  sticky: z.string().nullable(),
  routes: z.array(explainedRouteSchema),
  ruled_out: z.array(ruledOutRouteSchema),
  /** `usage_exhausted`, `policy_denied`, `no_route`...: why a request would fail. */
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});
/** A routing dry run: every candidate in order, exclusions with reasons, the would-be error. */
export type RouteExplanationView = z.infer<typeof routeExplanationViewSchema>;
