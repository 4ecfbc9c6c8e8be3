import { commandContext } from "../command-context.js";
import type { GlobalOptions } from "../context.js";
import { buildEngine } from "../composition/engine-factory.js";
import { EXIT } from "../exit-codes.js";
import { paint, table } from "../terminal.js";

/** `hedge route explain MODEL`: the routing decision for a dry run; nothing is called. */
export async function runRouteExplain(
  globals: GlobalOptions,
  model: string,
  options: { role?: string; session?: string; json: boolean },
): Promise<void> {
  const { home, loaded } = commandContext(globals);
  const { engine, close } = await buildEngine(loaded.config, home);
  try {
    const { plan, error } = await engine.explain({
      model,
      ...(options.role ? { role: options.role } : {}),
      ...(options.session ? { session: options.session } : {}),
    });
    const order = new Map(plan.attempts.map((attempt, index) => [attempt.id, index + 1]));
    const routes = plan.candidates.map((candidate) => {
      const excluded = plan.excluded.find((route) => route.route === candidate.id);
      return {
        route: candidate.id,
        provider: candidate.provider.id,
        model: candidate.upstreamModel,
        class: candidate.provider.providerClass,
        region: candidate.provider.region,
        credential: candidate.credential.source,
        ...(candidate.credential.profile ? { profile: candidate.credential.profile } : {}),
        order: order.get(candidate.id) ?? null,
        ...(excluded ? { excluded: excluded.reason } : {}),
        ...(excluded?.until ? { until: new Date(excluded.until).toISOString() } : {}),
      };
    });
    // Routes excluded before they became candidates (policy, no credential, unknown fallback).
    const ruledOut = plan.excluded
      .filter((route) => !plan.candidates.some((candidate) => candidate.id === route.route))
      .map((route) => ({ route: route.route, provider: route.provider, excluded: route.reason }));
    if (options.json) {
      process.stdout.write(
        `${JSON.stringify(
          {
            model: plan.model,
            strategy: plan.strategy,
            sticky: plan.sticky ?? null,
            routes,
            ruled_out: ruledOut,
            error: error ? { code: error.code, message: error.message } : null,
          },
          null,
          2,
        )}\n`,
      );
    } else {
      const lines = [
        `model ${paint.bold(plan.model)}  strategy ${plan.strategy}${plan.sticky ? `  sticky ${plan.sticky}` : ""}`,
      ];
      const header = ["#", "route", "model", "class", "region", "credential", "status"];
      const rows = routes.map((route) => [
        route.order === null ? "-" : String(route.order),
        route.route,
        route.model,
        route.class,
        route.region,
        route.credential,
        route.excluded
          ? `excluded: ${route.excluded}${route.until ? ` (until ${route.until})` : ""}`
          : "candidate",
      ]);
      for (const route of ruledOut)
        rows.push(["-", route.route, "", "", "", "", `excluded: ${route.excluded}`]);
      lines.push(...table(header, rows));
      if (error) lines.push(paint.red(`would fail: ${error.message}`));
      process.stdout.write(`${lines.join("\n")}\n`);
    }
    if (error) process.exitCode = EXIT.failed;
  } finally {
    await close();
  }
}
