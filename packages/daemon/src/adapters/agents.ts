import { join } from "node:path";
import { UsageError } from "@hedge/model-spec";
import type { AdapterName, LoopSpec } from "../ledger/types.js";
import {
  addUsage,
  jsonLine,
  requireProgram,
  type AdapterInput,
  type AgentAdapter,
  type RunPlan,
} from "./adapter.js";

/**
 * Under a profile (`--profile`, or the one with the most headroom), a vendor CLI runs exactly as
 * `hedge auth exec PROFILE -- …` runs it: that profile's identity only, resolved by hedge at run
 * time (secrets never pass through the daemon).
 */
function underProfile(
  input: AdapterInput,
  argv: readonly string[],
): readonly [string, ...string[]] {
  const [first, ...rest] = input.hedgeCommand;
  if (!input.profile || first === undefined) return argv as [string, ...string[]];
  return [first, ...rest, "auth", "exec", input.profile, "--", ...argv];
}

/** The variable codex reads the gateway key from (its provider's `env_key`). */
const CODEX_GATEWAY_KEY_ENV = "HEDGE_GATEWAY_KEY";

/** `-c` overrides making hedge's gateway codex's model provider for this run only. */
function codexGatewayArgs(gateway: AdapterInput["gateway"]): string[] {
  if (!gateway) return [];
  const provider = [
    'name = "hedge gateway"',
    `base_url = ${JSON.stringify(`${gateway.url}/v1`)}`,
    'wire_api = "responses"',
    `env_key = "${CODEX_GATEWAY_KEY_ENV}"`,
  ].join(", ");
  return [
    "-c",
    'model_provider="hedge_gateway"',
    "-c",
    `model_providers.hedge_gateway={ ${provider} }`,
  ];
}

/** hedge runs the child hedge with the daemon's home (its config, profiles, state). */
function hedgeEnv(input: AdapterInput): Record<string, string> {
  return { HEDGE_HOME: input.home };
}

function prompt(loop: LoopSpec): string {
  if (!loop.prompt) {
    throw new UsageError(`--agent ${loop.adapter} needs a prompt after --`, {
      hint: `hedge loop add NAME --every 1h --agent ${loop.adapter} -- "fix the failing test"`,
    });
  }
  return loop.prompt;
}

const hedge: AgentAdapter = {
  name: "hedge",
  check(loop) {
    prompt(loop);
    if (loop.budgetUsd !== null) {
      throw new UsageError("--budget-usd is not enforced by --agent hedge yet", {
        hint: "use --max-turns and --timeout to bound a hedge run",
      });
    }
  },
  plan(input): RunPlan {
    const { loop } = input;
    const [first, ...rest] = input.hedgeCommand;
    if (first === undefined) throw new Error("hedge command unknown");
    const argv: [string, ...string[]] = [
      first,
      ...rest,
      "exec",
      "--json",
      "-s",
      "workspace-write",
      "-C",
      input.cwd,
      "--skip-git-repo-check",
      // A loop's own turns fire no session hooks: a hook loop running hedge cannot re-trigger itself.
      "-c",
      "hooks.turn_completed=[]",
      "-c",
      "hooks.turn_failed=[]",
      ...(loop.maxTurns === null ? [] : ["-c", `agent.max_steps=${loop.maxTurns}`]),
      ...(loop.profile ? ["--profile", loop.profile] : []),
      "--",
      prompt(loop),
    ];
    return { argv, env: hedgeEnv(input) };
  },
  observe(line, facts) {
    const event = jsonLine(line);
    if (event?.["type"] === "turn.completed") addUsage(event["usage"], facts);
  },
};

const codex: AgentAdapter = {
  name: "codex",
  check(loop, path) {
    prompt(loop);
    requireProgram("codex", loop, path, "install it: npm i -g @openai/codex");
  },
  plan(input): RunPlan {
    const argv = [
      "codex",
      "exec",
      ...codexGatewayArgs(input.gateway),
      "--json",
      "--sandbox",
      "workspace-write",
      "--ephemeral",
      "--skip-git-repo-check",
      "-C",
      input.cwd,
      "-o",
      join(input.runDir, "last-message.txt"),
      "--",
      prompt(input.loop),
    ];
    const gateway = input.gateway ? { [CODEX_GATEWAY_KEY_ENV]: input.gateway.key } : {};
    return { argv: underProfile(input, argv), env: { ...hedgeEnv(input), ...gateway } };
  },
  observe(line, facts) {
    const event = jsonLine(line);
    if (event?.["type"] === "turn.completed") addUsage(event["usage"], facts);
  },
};

const claude: AgentAdapter = {
  name: "claude",
  check(loop, path) {
    prompt(loop);
    requireProgram("claude", loop, path, "install it: npm i -g @anthropic-ai/claude-code");
  },
  plan(input): RunPlan {
    const { loop } = input;
    const argv = [
      "claude",
      "-p",
      "--output-format",
      "stream-json",
      "--verbose",
      "--permission-mode",
      "acceptEdits",
      "--no-session-persistence",
      "--max-turns",
      String(loop.maxTurns ?? 50),
      ...(loop.budgetUsd === null ? [] : ["--max-budget-usd", String(loop.budgetUsd)]),
      "--",
      prompt(loop),
    ];
    // Claude Code's documented gateway variables: base URL and a bearer token (this run's key).
    const gateway = input.gateway
      ? { ANTHROPIC_BASE_URL: input.gateway.url, ANTHROPIC_AUTH_TOKEN: input.gateway.key }
      : {};
    return { argv: underProfile(input, argv), env: { ...hedgeEnv(input), ...gateway } };
  },
  observe(line, facts) {
    const event = jsonLine(line);
    if (event?.["type"] !== "result") return;
    addUsage(event["usage"], facts);
    const cost = event["total_cost_usd"];
    if (typeof cost === "number") facts.costUsd = cost;
  },
};

const gemini: AgentAdapter = {
  name: "gemini",
  check(loop, path) {
    prompt(loop);
    requireProgram("gemini", loop, path, "install it: npm i -g @google/gemini-cli");
  },
  plan(input): RunPlan {
    const settings = join(input.runDir, "gemini-settings.json");
    const argv = [
      "gemini",
      `--prompt=${prompt(input.loop)}`,
      "--output-format",
      "stream-json",
      "--approval-mode",
      "auto_edit",
    ];
    return {
      argv: underProfile(input, argv),
      // A run-scoped system settings file: it overrides the user's, so the turn cap holds.
      env: { ...hedgeEnv(input), GEMINI_CLI_SYSTEM_SETTINGS_PATH: settings },
      files: [
        {
          path: settings,
          content: JSON.stringify({ model: { maxSessionTurns: input.loop.maxTurns ?? 50 } }),
        },
      ],
    };
  },
  observe(line, facts) {
    const event = jsonLine(line);
    if (event?.["type"] === "result") addUsage(event["stats"], facts);
  },
  explainExit(code) {
    // 55: gemini runs headless only in a folder the user trusted (its own trust, kept as is).
    if (code === 55)
      return "gemini does not trust the folder: trust it in gemini, or --env GEMINI_CLI_TRUST_WORKSPACE";
    return code === 53 ? "turn limit" : code === 42 ? "input error" : undefined;
  },
};

const command: AgentAdapter = {
  name: "command",
  check(loop, path) {
    const program = loop.argv?.[0];
    if (!program) {
      throw new UsageError("--agent command needs the command after --", {
        hint: "hedge loop add NAME --every 1h --agent command -- npm test",
      });
    }
    requireProgram(program, loop, path, "give the full path of the program, or fix PATH");
  },
  plan(input): RunPlan {
    const argv = input.loop.argv;
    if (!argv || argv[0] === undefined) throw new Error("command loop without argv");
    return {
      argv: argv as [string, ...string[]],
      env: {
        HEDGE_LOOP_ID: input.loop.id,
        HEDGE_RUN_ID: input.runId,
        HEDGE_SCHEDULED_FOR: new Date(input.scheduledFor).toISOString(),
      },
    };
  },
};

const ADAPTERS: Record<AdapterName, AgentAdapter> = { hedge, codex, claude, gemini, command };

export function adapterFor(name: AdapterName): AgentAdapter {
  return ADAPTERS[name];
}
