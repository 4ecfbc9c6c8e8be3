import { listBreakers, listCooldowns } from "@hedge/gateway";
import { commandContext, withStore } from "../command-context.js";
import type { GlobalOptions } from "../context.js";
import { table } from "../terminal.js";

/** `hedge gateway status`: breakers, cooldowns and recent errors per route, from the Store. */
export async function runGatewayStatus(
  globals: GlobalOptions,
  options: { json: boolean; limit: number },
): Promise<void> {
  await withStore(commandContext(globals), async (store) => {
    const now = Date.now();
    const breakers = (await listBreakers(store)).map((value) => ({
      route: value.route,
      state: value.state,
      consecutive_failures: value.consecutiveFailures,
      recent_calls: value.window.length,
      recent_failures: value.window.filter((sample) => !sample.ok).length,
      ...(value.openedAt ? { opened_at: new Date(value.openedAt).toISOString() } : {}),
    }));
    const cooldowns = (await listCooldowns(store))
      .filter((value) => value.until > now)
      .map((value) => ({
        route: value.route,
        kind: value.kind,
        until: new Date(value.until).toISOString(),
        reason: value.reason,
      }));
    const audit = await store.listAudit({ limit: options.limit });
    const recentErrors = audit.flatMap((entry) =>
      entry.attempts
        .filter((attempt) => !attempt.outcome.startsWith("ok"))
        .map((attempt) => ({
          at: new Date(entry.at).toISOString(),
          request_id: entry.requestId,
          model: entry.model,
          route: attempt.route,
          outcome: attempt.outcome,
          ...(attempt.status === undefined ? {} : { status: attempt.status }),
        })),
    );
    const summary = {
      requests: audit.length,
      failed: audit.filter((entry) => entry.outcome !== "ok").length,
    };
    if (options.json) {
      process.stdout.write(
        `${JSON.stringify({ store: store.kind, recent: summary, breakers, cooldowns, recent_errors: recentErrors }, null, 2)}\n`,
      );
      return;
    }
    const lines = [
      `store ${store.kind}; last ${summary.requests} request(s), ${summary.failed} not ok`,
      "",
      "breakers",
    ];
    lines.push(
      ...(breakers.length
        ? table(
            ["route", "state", "consecutive", "recent failures"],
            breakers.map((breaker) => [
              breaker.route,
              breaker.state,
              String(breaker.consecutive_failures),
              `${breaker.recent_failures}/${breaker.recent_calls}`,
            ]),
          )
        : ["  none recorded"]),
      "",
      "cooldowns",
      ...(cooldowns.length
        ? table(
            ["route", "kind", "until", "reason"],
            cooldowns.map((cooldown) => [
              cooldown.route,
              cooldown.kind,
              cooldown.until,
              cooldown.reason,
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
              .map((error) => [error.at, error.route, error.model, error.outcome]),
          )
        : ["  none"]),
    );
    process.stdout.write(`${lines.join("\n")}\n`);
  });
}
