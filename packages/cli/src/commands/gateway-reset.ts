import { UsageError } from "@hedge/model-spec";
import { commandContext } from "../command-context.js";
import { resetRouteState, type ResetRoute } from "../composition/admin.js";
import type { GlobalOptions } from "../context.js";

/**
 * `hedge gateway reset [ROUTE|--all]`: clears the breakers, cooldowns and marks of one route (a
 * route id, or a provider id for all its routes) or of every route, in the shared Store (SQLite
 * or Redis), so every process and replica tries them again.
 */
export async function runGatewayReset(
  globals: GlobalOptions,
  route: string | undefined,
  options: { all: boolean; json: boolean },
): Promise<void> {
  if (route === undefined && !options.all) {
    throw new UsageError("name a route to reset, or pass --all", {
      hint: "'hedge gateway status' lists the routes with a breaker, cooldown or mark",
    });
  }
  if (route !== undefined && options.all) {
    throw new UsageError("give a route or --all, not both");
  }
  const result = await resetRouteState(commandContext(globals), route);
  if ("unknown" in result) {
    const known = result.unknown;
    throw new UsageError(
      known.length
        ? `no breaker, cooldown or mark for "${route}"; known: ${known.join(", ")}`
        : `no breaker, cooldown or mark for "${route}": no route has any`,
      {
        hint: "name a route (provider:credential) or a provider as 'hedge gateway status' shows",
      },
    );
  }
  const { store, reset } = result;
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ store, reset }, null, 2)}\n`);
    return;
  }
  const lines = reset.length ? reset.map(describe) : ["nothing to reset"];
  process.stdout.write(`${lines.join("\n")}\n`);
}

function describe(entry: ResetRoute): string {
  const parts = [
    ...(entry.breaker ? [`breaker (${entry.breaker})`] : []),
    ...entry.cooldowns.map(
      (cooldown) =>
        `${cooldown.kind} ${cooldown.kind === "credential" || cooldown.kind === "permission" ? "mark" : "cooldown"}${cooldown.scope === "route" ? "" : ` (${cooldown.scope} ${cooldown.model ?? "?"})`}`,
    ),
    ...(entry.usage.length ? [`rate-limit windows (${entry.usage.join(", ")})`] : []),
  ];
  return `reset ${entry.route}: ${parts.join(", ")}`;
}
