import { formatWait, type GatewayStatusView } from "@hedge/model-spec";
import { commandContext } from "../command-context.js";
import { connectClient } from "../composition/connect.js";
import type { GlobalOptions } from "../context.js";
import { table } from "../terminal.js";

/**
 * `hedge gateway status`: breakers, cooldowns and marks per route with their cause and when each
 * ends, and recent failed requests, from this machine's state or the gateway `--gateway` names.
 */
export async function runGatewayStatus(
  globals: GlobalOptions,
  options: { json: boolean; limit: number; gateway?: string },
): Promise<void> {
  const { home, loaded } = commandContext(globals);
  const { client } = await connectClient(loaded.config, home, options.gateway);
  let view: GatewayStatusView;
  try {
    view = await client.status({ limit: options.limit });
  } finally {
    await client.close();
  }
  process.stdout.write(
    options.json ? `${JSON.stringify(view, null, 2)}\n` : formatStatus(view, Date.now()),
  );
}

function formatStatus(view: GatewayStatusView, now: number): string {
  const { breakers, cooldowns, recent } = view;
  const ends = (iso: string | undefined, mark = false): string => {
    if (iso === undefined) return "-";
    const when = `${iso} (in ${formatWait(Date.parse(iso) - now)})`;
    return mark ? `at re-login, or ${when}` : when;
  };
  const lines = [
    `store ${view.store}; last ${recent.requests} request(s), ${recent.failed} failed, ${recent.cancelled} cancelled by the caller`,
    ...(view.store_degraded
      ? [
          `store DEGRADED since ${view.store_degraded.since} (${formatWait(now - Date.parse(view.store_degraded.since))} ago): ${view.store_degraded.reason}; serving from memory, merged back when it returns`,
        ]
      : []),
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
    ...(view.recent_errors.length
      ? table(
          ["at", "route", "model", "outcome"],
          view.recent_errors
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
  return `${lines.join("\n")}\n`;
}
