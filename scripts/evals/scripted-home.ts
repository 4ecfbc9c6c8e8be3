import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadTasks } from "@hedge/evals";
import { evalResponder } from "@hedge/evals/scripted";
import { startScriptedUpstream, type ScriptedUpstream } from "@hedge/testkit";

/** A scripted upstream playing every task's CI model, and a HEDGE_HOME routing `scripted/coder` to it. */
export interface ScriptedEvalHome {
  upstream: ScriptedUpstream;
  home: string;
  env: NodeJS.ProcessEnv;
}

/**
 * Starts the CI model for the tasks under `tasksRoot` (both tool sets: the request's offered
 * tools tell which) and writes a config whose `scripted` provider points at it. `extraConfig`
 * adds lines to the provider's table first (a price override, say).
 */
export async function scriptedEvalHome(
  tasksRoot: string,
  extraConfig: string[] = [],
): Promise<ScriptedEvalHome> {
  const tasks = loadTasks(tasksRoot);
  const byToolset = { default: evalResponder(tasks, "default"), js: evalResponder(tasks, "js") };
  const upstream = await startScriptedUpstream({
    // A request no task claims gets a plain answer, never a hang.
    respond: (request) =>
      (request.toolNames.includes("js") ? byToolset.js : byToolset.default)(request) ?? {
        text: "no scripted task matches this conversation",
      },
  });
  const home = mkdtempSync(join(tmpdir(), "hedge-eval-home-"));
  mkdirSync(home, { recursive: true });
  mkdirSync(join(home, "hedge"));
  writeFileSync(
    join(home, "hedge", "config.toml"),
    [
      "[qa]",
      "enabled = false",
      "[providers.scripted]",
      `base_url = "${upstream.url}/v1"`,
      'wire = "chat"',
      ...extraConfig,
    ].join("\n"),
  );
  // HOME apart from HEDGE_HOME: attempts' worktrees go under ~/.cache, which the tools must see.
  const user = join(home, "user");
  mkdirSync(user);
  return { upstream, home, env: { HEDGE_HOME: join(home, "hedge"), HOME: user } };
}
