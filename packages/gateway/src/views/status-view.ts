import type { GatewayStatusView, RecentErrorView } from "@hedge/model-spec";
import { listBreakers, listCooldowns } from "../routing/route-state.js";
import { ResilientStore } from "../store/resilient-store.js";
import type { AuditEntry, Store } from "../store/store.js";

/** A cooldown of these kinds is a mark: it ends at a re-login of the profile, or at `until`. */
const MARKS = new Set(["credential", "permission"]);

/**
 * `hedge gateway status --json`: breakers, cooldowns and marks per route with their cause and
 * when each ends, and the failed attempts among the last `limit` requests.
 */
export async function statusView(
  store: Store,
  options: { breakerCooldownMs: number; limit: number },
  now: number,
): Promise<GatewayStatusView> {
  const breakers = (await listBreakers(store)).map((value) => {
    // An open breaker lets a probe through after its cooldown; a half-open one when the
    // probe in flight reports or times out.
    const until =
      value.state === "open" && value.openedAt !== undefined
        ? value.openedAt + options.breakerCooldownMs
        : value.state === "half_open"
          ? value.probeInFlightUntil
          : undefined;
    return {
      route: value.route,
      state: value.state,
      consecutive_failures: value.consecutiveFailures,
      recent_calls: value.window.length,
      recent_failures: value.window.filter((sample) => !sample.ok).length,
      ...(value.openedAt ? { opened_at: new Date(value.openedAt).toISOString() } : {}),
      ...(value.lastFailure ? { cause: value.lastFailure.reason } : {}),
      ...(until === undefined ? {} : { until: new Date(until).toISOString() }),
    };
  });
  const cooldowns = (await listCooldowns(store))
    .filter((value) => value.until > now)
    .map((value) => ({
      route: value.route,
      scope: value.scope,
      ...(value.model === undefined ? {} : { model: value.model }),
      kind: value.kind,
      mark: MARKS.has(value.kind),
      ...(value.at === undefined ? {} : { since: new Date(value.at).toISOString() }),
      until: new Date(value.until).toISOString(),
      ...(MARKS.has(value.kind) ? { ends_at_relogin: true } : {}),
      reason: value.reason,
    }));
  const audit = await store.listAudit({ limit: options.limit });
  const health = store instanceof ResilientStore ? store.health() : undefined;
  return {
    store: store.kind,
    ...(health?.degraded
      ? {
          store_degraded: {
            since: new Date(health.since ?? 0).toISOString(),
            reason: health.reason ?? "unreachable",
          },
        }
      : {}),
    recent: {
      requests: audit.length,
      failed: audit.filter((entry) => entry.outcome !== "ok" && !cancelled(entry)).length,
      cancelled: audit.filter(cancelled).length,
    },
    breakers,
    cooldowns,
    recent_errors: audit.flatMap(errorsOf),
  };
}

function cancelled(entry: AuditEntry): boolean {
  return entry.outcome.startsWith("client_closed");
}

/**
 * A failed request's failed attempts, each with its route; a request that failed before any
 * try (every route excluded) as one row without a route. The caller's own cancels are left out.
 */
function errorsOf(entry: AuditEntry): RecentErrorView[] {
  if (cancelled(entry)) return [];
  const at = new Date(entry.at).toISOString();
  const failed = entry.attempts.filter(
    (attempt) => !attempt.outcome.startsWith("ok") && !attempt.outcome.startsWith("client_closed"),
  );
  const rows = failed.map((attempt) => ({
    at,
    request_id: entry.requestId,
    model: entry.model,
    route: attempt.route,
    ...(attempt.model === undefined ? {} : { upstream_model: attempt.model }),
    provider: attempt.route.split(":")[0] ?? attempt.route,
    outcome: attempt.outcome,
    ...(attempt.status === undefined ? {} : { status: attempt.status }),
  }));
  if (rows.length > 0 || entry.outcome === "ok") return rows;
  return [
    { at, request_id: entry.requestId, model: entry.model, route: "-", outcome: entry.outcome },
  ];
}
