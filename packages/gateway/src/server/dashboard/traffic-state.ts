import type { BreakerState } from "../../routing/breaker.js";
import type { ListedCooldown } from "../../routing/route-state.js";
import type { AuditEntry } from "../../store/store.js";
import type { Decision, RouteRow } from "./dashboard-types.js";

const MINUTE = 60_000;
/** Sparkline length: one point per minute. */
export const SPARK_POINTS = 30;
/** The error rate covers this much recent traffic. */
const ERROR_WINDOW_MS = 5 * MINUTE;

/** A request as a Decisions row: where it went, after what, and why. */
export function decisionOf(entry: AuditEntry): Decision {
  const call = entry.call;
  const last = entry.attempts[entry.attempts.length - 1];
  const route = entry.attempts.find((attempt) => attempt.outcome.startsWith("ok"))?.route;
  const shownRoute = route ?? last?.route;
  return {
    requestId: entry.requestId,
    at: entry.at,
    model: entry.model,
    ...(call?.role === undefined ? {} : { role: call.role }),
    ...(call?.provider === undefined
      ? last
        ? { provider: last.route.split(":")[0] ?? last.route }
        : {}
      : { provider: call.provider }),
    ...(call?.profile === undefined ? {} : { profile: call.profile }),
    ...(shownRoute === undefined ? {} : { route: shownRoute }),
    outcome: entry.outcome,
    reason: reasonOf(entry, route),
    attempts: entry.attempts.map((attempt) => ({ ...attempt })),
    excluded: entry.excluded.map((excluded) => ({ ...excluded })),
    inputTokens: call?.input_tokens ?? 0,
    outputTokens: call?.output_tokens ?? 0,
    ...(call?.cost_usd === undefined ? {} : { costUsd: call.cost_usd }),
  };
}

function reasonOf(entry: AuditEntry, served: string | undefined): string {
  const failed = entry.attempts.filter((attempt) => !attempt.outcome.startsWith("ok"));
  const parts: string[] = [];
  if (served) parts.push(`served by ${served}`);
  else if (entry.attempts.length === 0) parts.push(`no route tried (${entry.outcome})`);
  else parts.push(`failed: ${entry.outcome}`);
  if (failed.length > 0)
    parts.push(
      `after ${failed
        .map((attempt) => `${attempt.route} ${attempt.status ?? ""} ${attempt.outcome}`.trim())
        .join(", ")}`,
    );
  if (entry.excluded.length > 0)
    parts.push(
      `excluded ${entry.excluded.map((excluded) => `${excluded.route} (${excluded.reason})`).join(", ")}`,
    );
  return parts.join("; ");
}

/**
 * The Routes panel: every route with a breaker, a cooldown or an attempt in the recent audit
 * window, with its breaker state, cause and end, error rate and latency percentiles per minute.
 */
export function routesOf(
  breakers: readonly (BreakerState & { route: string })[],
  cooldowns: readonly ListedCooldown[],
  recent: readonly AuditEntry[],
  options: { breakerCooldownMs: number; now: number },
): RouteRow[] {
  const { now } = options;
  const latencies = new Map<string, number[][]>();
  const counts = new Map<string, { calls: number; failures: number }>();
  const startMinute = Math.floor(now / MINUTE) - SPARK_POINTS + 1;
  for (const entry of recent) {
    for (const attempt of entry.attempts) {
      if (attempt.outcome.startsWith("client_closed")) continue;
      const slot = Math.floor(entry.at / MINUTE) - startMinute;
      if (slot >= 0 && slot < SPARK_POINTS && attempt.latencyMs !== undefined) {
        let minutes = latencies.get(attempt.route);
        if (!minutes) latencies.set(attempt.route, (minutes = spark(() => [])));
        minutes[slot]?.push(attempt.latencyMs);
      }
      if (entry.at >= now - ERROR_WINDOW_MS) {
        const count = counts.get(attempt.route) ?? { calls: 0, failures: 0 };
        count.calls += 1;
        if (!attempt.outcome.startsWith("ok")) count.failures += 1;
        counts.set(attempt.route, count);
      }
    }
  }
  const names = new Set<string>([
    ...breakers.map((breaker) => breaker.route),
    ...cooldowns.filter((cooldown) => cooldown.until > now).map((cooldown) => cooldown.route),
    ...latencies.keys(),
    ...counts.keys(),
  ]);
  return [...names].sort().map((route) => {
    const breaker = breakers.find((candidate) => candidate.route === route);
    const cooldown = cooldowns
      .filter((candidate) => candidate.route === route && candidate.until > now)
      .sort((a, b) => b.until - a.until)[0];
    const open = breaker && breaker.state !== "closed" ? breaker : undefined;
    const until =
      open?.state === "open" && open.openedAt !== undefined
        ? open.openedAt + options.breakerCooldownMs
        : open?.state === "half_open"
          ? open.probeInFlightUntil
          : cooldown?.until;
    const cause = open?.lastFailure?.reason ?? cooldown?.reason;
    const minutes = latencies.get(route) ?? spark(() => []);
    const count = counts.get(route) ?? { calls: 0, failures: 0 };
    return {
      route,
      breaker: breaker?.state ?? "closed",
      ...(cause === undefined ? {} : { cause }),
      ...(until === undefined ? {} : { until }),
      ...(cooldown
        ? { cooldown: { kind: cooldown.kind, until: cooldown.until, reason: cooldown.reason } }
        : {}),
      calls: count.calls,
      failures: count.failures,
      p50: minutes.map((values) => percentile(values, 0.5)),
      p99: minutes.map((values) => percentile(values, 0.99)),
    };
  });
}

/** How far back the Routes panel looks in the audit log. */
export const ROUTES_WINDOW_MS = SPARK_POINTS * MINUTE;

function spark<T>(make: () => T): T[] {
  return Array.from({ length: SPARK_POINTS }, make);
}

function percentile(values: number[], share: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)] ?? null;
}
