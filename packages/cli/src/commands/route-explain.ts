import { chooseByEvals, type EvalChoice } from "@hedge/core";
import { loadEvalRouting } from "@hedge/evals";
import type { RouteExplanationView } from "@hedge/model-spec";
import { commandContext } from "../command-context.js";
import { connectClient } from "../composition/connect.js";
import type { GlobalOptions } from "../context.js";
import { EXIT } from "../exit-codes.js";
import { paint, table } from "../terminal.js";

/**
 * `hedge route explain MODEL`: the routing decision for a dry run, from this machine's gateway
 * or the one `--gateway` names (as that gateway's key would be routed); nothing is called.
 */
export async function runRouteExplain(
  globals: GlobalOptions,
  model: string,
  options: { role?: string; session?: string; json: boolean; gateway?: string; prompt?: string },
): Promise<void> {
  const { home, loaded } = commandContext(globals);
  // With --prompt, the eval link of the role chain (`[routing] evals`) may pick the executor.
  const evals =
    options.prompt === undefined
      ? undefined
      : explainEvals(home, loaded.config.routing, options.prompt);
  if (evals?.model && (options.role ?? "executor") === "executor") model = evals.model;
  const { client } = await connectClient(loaded.config, home, options.gateway);
  let view: RouteExplanationView;
  try {
    view = await client.explain({
      model,
      ...(options.role ? { role: options.role } : {}),
      ...(options.session ? { session: options.session } : {}),
    });
  } finally {
    await client.close();
  }
  const evalsLine = evals ? `${evals.reason}\n` : "";
  process.stdout.write(
    options.json
      ? `${JSON.stringify(evals ? { ...view, evals } : view, null, 2)}\n`
      : `${evalsLine}${formatExplanation(view)}`,
  );
  if (view.error) process.exitCode = EXIT.failed;
}

/** What the eval link decides for `prompt`, or why it decides nothing (it is off, no run, ...). */
function explainEvals(
  home: string,
  config: Parameters<typeof loadEvalRouting>[1],
  prompt: string,
): EvalChoice {
  const routing = loadEvalRouting(home, config);
  if (!routing)
    return { model: undefined, reason: 'evals: off ([routing] evals = "off"); routing unchanged' };
  return chooseByEvals(prompt, routing);
}

function formatExplanation(view: RouteExplanationView): string {
  const lines = [
    `model ${paint.bold(view.model)}  strategy ${view.strategy}${view.sticky ? `  sticky ${view.sticky}` : ""}`,
  ];
  const header = ["#", "route", "model", "class", "region", "credential", "status"];
  const rows = view.routes.map((route) => [
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
  for (const route of view.ruled_out)
    rows.push(["-", route.route, "", "", "", "", `excluded: ${route.excluded}`]);
  lines.push(...table(header, rows));
  if (view.error) lines.push(paint.red(`would fail: ${view.error.message}`));
  return `${lines.join("\n")}\n`;
}
