import { z } from "zod";
import { DEFAULT_BREAKER_CONFIG as BREAKER } from "./routing/breaker.js";
import { parseDuration } from "./routing/reset-time.js";
import { normalizeOrigin } from "./server/request-guard.js";

const wireSchema = z.enum(["chat", "responses", "messages"]);
const classSchema = z.enum(["local", "hosted"]);

/** Price of a model in USD per million tokens. */
export const priceSchema = z.strictObject({
  input: z.number().nonnegative(),
  output: z.number().nonnegative(),
  cached_input: z.number().nonnegative().optional(),
});

/** One `[providers.NAME]` table: a preset refined, or any OpenAI-compatible server. */
export const providerConfigSchema = z.strictObject({
  /** `openai` | `anthropic` | `openai-compatible` | a preset name; defaults to the table name. */
  type: z.string().min(1).optional(),
  base_url: z.url({ protocol: /^https?$/, error: "expected an http(s) URL" }).optional(),
  wire: wireSchema.optional(),
  class: classSchema.optional(),
  region: z.string().min(1).optional(),
  /** Name of an environment variable holding the key (profiles are the normal source). */
  api_key_env: z.string().min(1).optional(),
  /** A literal key. Discouraged: prefer `hedge auth login`. Always redacted in output. */
  api_key: z.string().min(1).optional(),
  /** Models this provider serves; when absent, any model addressed as `NAME/model`. */
  models: z.array(z.string().min(1)).optional(),
  /** Extra request headers sent upstream. Values are redacted in output. */
  headers: z.record(z.string(), z.string()).optional(),
  /** Overrides of the built-in dated price table, per model. */
  prices: z.record(z.string(), priceSchema).optional(),
  enabled: z.boolean().optional(),
});
export type ProviderConfig = z.infer<typeof providerConfigSchema>;

export const policySchema = z
  .strictObject({
    allow_classes: z.array(classSchema).default(["local"]),
    /** Regions allowed for hosted providers; absent means any region of an allowed class. */
    allow_regions: z.array(z.string().min(1)).optional(),
    deny_providers: z.array(z.string().min(1)).default([]),
  })
  .prefault({});
export type PolicyConfig = z.infer<typeof policySchema>;

export const routeRuleSchema = z.strictObject({
  strategy: z.enum(["priority", "cheapest", "fastest", "weighted"]).default("priority"),
  fallbacks: z.array(z.string().min(1)).default([]),
  weights: z.record(z.string(), z.number().nonnegative()).optional(),
  sticky: z.boolean().default(true),
});

export const breakerSchema = z
  .strictObject({
    failure_threshold: z.number().int().min(1).default(BREAKER.failureThreshold),
    failure_ratio: z.number().gt(0).max(1).default(BREAKER.failureRatio),
    min_calls: z.number().int().min(1).default(BREAKER.minCalls),
    window_ms: z.number().int().positive().default(BREAKER.windowMs),
    cooldown_ms: z.number().int().positive().default(BREAKER.cooldownMs),
  })
  .prefault({});

export const retrySchema = z
  .strictObject({
    /** Retries of the same route after a transient failure, before moving on. */
    same_route: z.number().int().min(0).max(10).default(1),
    base_ms: z.number().int().min(0).default(200),
    max_ms: z.number().int().min(0).default(5_000),
  })
  .prefault({});

export const routingSchema = z
  .strictObject({
    default_strategy: z.enum(["priority", "cheapest", "fastest", "weighted"]).default("priority"),
    /** Per-request time budget bounding retries x timeouts. */
    request_budget_ms: z.number().int().positive().default(120_000),
    /**
     * How long a process reuses a read of a route's shared health (breaker, cooldown). Its own
     * changes apply at once; other processes' within this. 0 reads the Store on every request.
     */
    health_cache_ms: z.number().int().min(0).default(100),
    /** How long a session stays on the route it used while that route is healthy. */
    sticky_ttl_ms: z.number().int().positive().default(3_600_000),
    breaker: breakerSchema,
    retry: retrySchema,
    models: z.record(z.string(), routeRuleSchema).default({}),
  })
  .prefault({});
export type RoutingConfig = z.infer<typeof routingSchema>;

export const usageSchema = z
  .strictObject({
    switch_below: z.number().min(0).max(1).default(0.1),
    snapshot_ttl_s: z.number().int().positive().default(600),
    /**
     * Rate-limit snapshots far from `switch_below` reach the Store at most this often per
     * profile and model family (ms); near or across it at once. 0 writes every response.
     */
    flush_ms: z.number().int().min(0).max(60_000).default(500),
  })
  .prefault({});

export const profileLimitsSchema = z.strictObject({
  requests_per_minute: z.number().int().positive().optional(),
  requests_per_day: z.number().int().positive().optional(),
  tokens_per_minute: z.number().int().positive().optional(),
  tokens_per_5h: z.number().int().positive().optional(),
  tokens_per_week: z.number().int().positive().optional(),
});
export const profileSettingsSchema = z.strictObject({
  limits: profileLimitsSchema.optional(),
  priority: z.number().int().optional(),
});

/** A gateway account: the callers holding some gateway keys, with their own narrower policy. */
export const gatewayAccountSchema = z.strictObject({
  /** Ids of the gateway keys (`hedge gateway key list`) that belong to this account. */
  keys: z.array(z.string().min(1)).default([]),
  /** Whether the caller's own provider keys (BYOK) or the gateway's managed keys are tried first. */
  prefer: z.enum(["byok", "managed"]).default("byok"),
  /** Narrows the global policy for this account; never widens it. */
  allow_classes: z.array(classSchema).optional(),
  allow_regions: z.array(z.string().min(1)).optional(),
  /** Whether this account may use the gateway's managed keys at all. */
  managed: z.boolean().default(true),
});
export type GatewayAccount = z.infer<typeof gatewayAccountSchema>;

/** At most an hour: a body slower than that is not a client worth a socket. */
const MAX_BODY_TIMEOUT_MS = 3_600_000;
const BODY_TIMEOUT_EXPECTED =
  'expected seconds (up to 3600) or a duration such as "30s", "2m", "500ms"';
const bodyTimeoutSchema = z
  .union([z.number(), z.string()], { error: BODY_TIMEOUT_EXPECTED })
  .refine(
    (value) => {
      const ms = durationMs(value);
      return ms !== undefined && ms > 0 && ms <= MAX_BODY_TIMEOUT_MS;
    },
    { error: BODY_TIMEOUT_EXPECTED },
  );

/** `gateway.body_timeout` in milliseconds: a number is seconds, a string a duration. */
export function durationMs(value: number | string): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value * 1000 : undefined;
  return parseDuration(value);
}

export const gatewayServerSchema = z
  .strictObject({
    host: z.string().min(1).default("127.0.0.1"),
    port: z.number().int().min(0).max(65535).default(4141),
    /**
     * Processes `gateway serve` runs on the one port (node:cluster), sharing state through the
     * Store: a count, or "auto" (the default) for one per core. A `memory` store is never
     * shared: 1 there.
     */
    workers: z.union([z.number().int().min(1).max(256), z.literal("auto")]).default("auto"),
    body_limit_mb: z.number().positive().default(32),
    /**
     * How long a request's body may take to arrive after its headers (and its headers to
     * arrive): seconds, or a duration such as "30s", "2m", "500ms". Past it: 408, connection closed.
     */
    body_timeout: bodyTimeoutSchema.default(30),
    /**
     * Browser origins (`http://localhost:5173`) allowed to call the gateway: CORS for them, and
     * without gateway keys, a request carrying any other `Origin` is refused.
     */
    allowed_origins: z
      .array(
        z.string().refine((text) => normalizeOrigin(text) !== undefined, {
          error: 'expected an origin: scheme, host and port only, such as "http://localhost:5173"',
        }),
      )
      .default([]),
    /** Audit entries kept (by age and by count). */
    audit_retention_days: z.number().positive().default(7),
    audit_max_entries: z.number().int().positive().default(100_000),
    accounts: z.record(z.string(), gatewayAccountSchema).default({}),
  })
  .prefault({});

/** `sqlite` | `memory` | a `redis://` URL. */
export const storeSchema = z
  .string()
  .refine((value) => value === "sqlite" || value === "memory" || /^rediss?:\/\//.test(value), {
    error: 'expected "sqlite", "memory" or a redis:// URL',
  })
  .default("sqlite");

/** The config sections the gateway owns; the CLI composes them into the one config schema. */
export const gatewayConfigShape = {
  store: storeSchema,
  providers: z.record(z.string().regex(/^[a-z0-9][a-z0-9._-]*$/), providerConfigSchema).default({}),
  aliases: z.record(z.string(), z.string().min(1)).default({}),
  policy: policySchema,
  routing: routingSchema,
  usage: usageSchema,
  profiles: z.record(z.string(), profileSettingsSchema).default({}),
  gateway: gatewayServerSchema,
};

/** The gateway's config sections, parsed (defaults applied): what `createGateway` is built from. */
export const gatewayConfigSchema = z.strictObject(gatewayConfigShape);
export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;

/** The built-in providers (what a `[providers.X]` table refines): data only, no gateway runtime. */
export { PROVIDER_PRESETS, type ProviderPreset } from "./providers/presets.js";
