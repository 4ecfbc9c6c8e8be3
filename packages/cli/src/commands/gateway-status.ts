import { formatWait } from "@hedge/model-spec";
import { listBreakers, listCooldowns, type AuditEntry } from "@hedge/gateway";
import { commandContext, withStore } from "../command-context.js";
import type { GlobalOptions } from "../context.js";
import { table } from "../terminal.js";

/** A cooldown of these kinds is a mark: it ends at a re-login of the profile, or at `until`. */
const MARKS = new Set(["credential", "permission"]);

/**
 * `hedge gateway status`: breakers, cooldowns and marks per route with their cause and when each
 * ends, and recent failed requests, from the Store.
 */
export async function runGatewayStatus(
  globals: GlobalOptions,
  options: { json: boolean; limit: number },
): Promise<void> {
  const context = commandContext(globals);
  const breakerCooldownMs = context.loaded.config.routing.breaker.cooldown_ms;
  await withStore(context, async (store) => {
    const now = Date.now();
    const breakers = (await listBreakers(store)).map((value) => {
      // An open breaker lets a probe through after its cooldown; a half-open one when the
      // probe in flight reports or times out.
      const until =
        value.state === "open" && value.openedAt !== undefined
          ? value.openedAt + breakerCooldownMs
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
    const recentErrors = audit.flatMap(errorsOf);
    const summary = {
      requests: audit.length,
      failed: audit.filter((entry) => entry.outcome !== "ok" && !cancelled(entry)).length,
      cancelled: audit.filter(cancelled).length,
    };
    if (options.json) {
      process.stdout.write(
        `${JSON.stringify({ store: store.kind, recent: summary, breakers, cooldowns, recent_errors: recentErrors }, null, 2)}\n`,
      );
      return;
    }
    const ends = (iso: string | undefined, mark = false): string => {
      if (iso === undefined) return "-";
      const when = `${iso} (in ${formatWait(Date.parse(iso) - now)})`;
      return mark ? `at re-login, or ${when}` : when;
    };
    const lines = [
      `store ${store.kind}; last ${summary.requests} request(s), ${summary.failed} failed, ${summary.cancelled} cancelled by the caller`,
      "",
      "breakers",
      ...(breakers.length
        ? table(
            ["route", "state", "failures", "cause", "ends"],
            breakers.map((breaker) => [
              breaker.route,
              breaker.state,
              `${breaker.consecutive_failures} in a row, ${breaker.recent_failures}/${breaker.recent_calls} recent`,
              breaker.cause ?? "-",
              ends(breaker.until),
            ]),
          )
        : ["  none recorded"]),
      "",
      "cooldowns and marks",
      ...(cooldowns.length
        ? table(
            ["route", "scope", "kind", "cause", "ends"],
            cooldowns.map((cooldown) => [
              cooldown.route,
              cooldown.scope === "route" ? "route" : `${cooldown.scope} ${cooldown.model ?? "?"}`,
              cooldown.mark ? `${cooldown.kind} (mark)` : cooldown.kind,
              cooldown.reason,
              ends(cooldown.until, cooldown.mark),
            ]),
          )
        : ["  none"]),
      "",
      "recent errors",
      ...(recentErrors.length
        ? table(
            ["at", "route", "model", "outcome"],
            recentErrors
              .slice(0, 20)
              .map((error) => [
                error.at,
                error.route,
                error.upstream_model ?? error.model,
                error.outcome,
              ]),
          )
        : ["  none"]),
    ];
    if (breakers.length || cooldowns.length)
      lines.push("", "clear with: hedge gateway reset ROUTE (or --all)");
    process.stdout.write(`${lines.join("\n")}\n`);
  });
}

function cancelled(entry: AuditEntry): boolean {
  return entry.outcome.startsWith("client_closed");
}

/**
 * A failed request's failed attempts, each with its route; a request that failed before any
 * try (every route excluded) as one row without a route. The caller's own cancels are left out.
 */
function errorsOf(entry: AuditEntry): {
  at: string;
  request_id: string;
  model: string;
  route: string;
  upstream_model?: string;
  provider?: string;
  outcome: string;
  status?: number;
}[] {
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
