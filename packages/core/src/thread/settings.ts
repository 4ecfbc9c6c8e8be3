import { resolve } from "node:path";
import { UsageError } from "@hedge/model-spec";
import type { CoreConfig } from "../config-schema.js";
import { gitRoot } from "../instructions/agents-md.js";
import type { Roles } from "../roles/pipeline.js";
import { resolveRoles } from "../roles/role-models.js";
import type { EvalRouting } from "../roles/eval-route.js";
import type { Toolset } from "../tools/default-tools.js";
import type { TurnMode } from "../roles/turn-router.js";
import { findHiddenRoot, resolveDenyRead } from "../tools/read-guard.js";
import type { ShellEnvironmentPolicy } from "../tools/tool-environment.js";
import type { ApprovalPolicy, SandboxMode } from "../tools/tool.js";
import { DEFAULT_CONTEXT_WINDOW } from "./prompt-fit.js";

/** The config sections a thread reads: core's own, as parsed (pass the whole config's object). */
export type ThreadConfig = Pick<
  CoreConfig,
  | "model"
  | "model_context_window"
  | "model_reasoning_effort"
  | "agent"
  | "roles"
  | "qa"
  | "sandbox"
  | "sandbox_mode"
  | "sandbox_workspace_write"
  | "approval_policy"
  | "web_search"
>;

/** This run's choices over the config (exec's flags, the TUI's options). */
export interface ThreadFlags {
  /** `-m`: the executor's model. */
  model?: string;
  /** `--role ROLE=MODEL`, repeatable. */
  roles?: readonly string[];
  /** `--single-model`: every role on one model. */
  singleModel?: string;
  /** `--orchestrate` (true) / `--no-orchestrate` (false); absent: the router decides. */
  orchestrate?: boolean;
  /** false: `--no-qa`. */
  qa?: boolean;
  sandboxMode?: SandboxMode;
  approvalPolicy?: ApprovalPolicy;
  /** `--add-dir`: more writable roots (relative to the working directory). */
  addDirs?: readonly string[];
  /** `--output-schema`: the final answer must follow this JSON Schema. */
  outputSchema?: Record<string, unknown>;
  /** `--wait-for-reset`: a role whose every route is at its limit may start (the gateway waits). */
  waitForReset?: boolean;
  /** The executor's tool set (`js`: a Node script tool in place of `shell`). */
  toolset?: Toolset;
  /**
   * `--profile` / `HEDGE_PROFILE` / `/profile`: the session's pinned profile. Only the user's own
   * choice sets it (no config key: a repository's `.hedge/config.toml` cannot pin a profile).
   */
  profile?: string;
}

/**
 * What keeps secrets from the model, as the caller computes it from the user's config and
 * environment: the secret values to redact, the variables that hold keys, the tools' environment
 * policy and the paths to hide. The keys the model connection holds are added by `createThread`.
 */
export interface ToolGuard {
  secrets: readonly string[];
  keyVariables: readonly string[];
  shellEnvironment: ShellEnvironmentPolicy;
  denyRead: readonly string[];
}

/** Everything a thread decides before it talks to a model. */
export interface ThreadSettings {
  home: string;
  cwd: string;
  /** The repository around `cwd` (QA diffs it), when there is one. */
  repo: string | undefined;
  /** Where the tools work: the repository, else `cwd`. */
  workspace: string;
  roles: Roles;
  rules: ThreadConfig["roles"]["rules"];
  override: TurnMode | undefined;
  escalateAfter: number;
  maxEscalations: number;
  /** Absent when QA is off. */
  qa: { maxRounds: number; onError: "open" | "closed"; diffBudgetTokens: number } | undefined;
  sandboxMode: SandboxMode;
  network: boolean;
  writableRoots: string[];
  approvalPolicy: ApprovalPolicy;
  maxSteps: number;
  contextWindow: number;
  compactThreshold: number;
  reasoningEffort: ThreadConfig["model_reasoning_effort"];
  outputSchema: Record<string, unknown> | undefined;
  waitForReset: boolean;
  /** Codex's `web_search` is on: hedge has none, and says so. */
  webSearchRequested: boolean;
  /** Someone can answer approvals (the TUI), or nobody can (exec). */
  interactive: boolean;
  guard: ToolGuard;
  /** Routing on eval results (`[routing] evals`); absent when off or the executor was named. */
  evalRouting: EvalRouting | undefined;
  /** The executor's tool set, unless an eval run picks another for a turn. */
  toolset: Toolset;
  /** The pinned profile the run starts with (`ThreadFlags.profile`), checked at the first turn. */
  profile: string | undefined;
  /** A host directory sandboxed commands see as `/tmp` (eval attempts); default the shared one. */
  privateTmp?: string;
}

/**
 * Resolves a thread's settings from config and flags, synchronously and before any model is
 * reached, so bad input costs nothing: a malformed `--role`, or a workspace the tools may not
 * see, fails here with one line and a hint.
 */
export function resolveThreadSettings(input: {
  home: string;
  /** Absolute, existing working directory. */
  cwd: string;
  config: ThreadConfig;
  flags?: ThreadFlags;
  guard: ToolGuard;
  interactive: boolean;
  /** The eval table the caller loaded; dropped when a flag names the executor's model. */
  evalRouting?: EvalRouting;
}): ThreadSettings {
  const { config, cwd } = input;
  const flags = input.flags ?? {};
  const roles = resolveRoles({
    config: config.roles,
    ...(config.model ? { model: config.model } : {}),
    ...(flags.model ? { executorFlag: flags.model } : {}),
    roleFlags: flags.roles ?? [],
    ...(flags.singleModel ? { singleModel: flags.singleModel } : {}),
  });
  const repo = gitRoot(cwd);
  const workspace = repo ?? cwd;
  const writableRoots = [
    ...(flags.addDirs ?? []).map((dir) => resolve(cwd, dir)),
    ...(config.sandbox_workspace_write?.writable_roots ?? []),
  ];
  assertToolRootsVisible([workspace, cwd, ...writableRoots], input.guard.denyRead);
  return {
    home: input.home,
    cwd,
    repo,
    workspace,
    roles,
    rules: config.roles.rules,
    override:
      flags.orchestrate === undefined ? undefined : flags.orchestrate ? "orchestrated" : "executor",
    escalateAfter: config.roles.escalate_after,
    maxEscalations: config.roles.max_escalations,
    qa:
      flags.qa !== false && config.qa.enabled
        ? {
            maxRounds: config.qa.max_rounds,
            onError: config.qa.on_error,
            diffBudgetTokens: config.qa.diff_budget_tokens,
          }
        : undefined,
    sandboxMode: flags.sandboxMode ?? config.sandbox_mode ?? config.sandbox.mode,
    network: config.sandbox_workspace_write?.network_access ?? config.sandbox.network,
    writableRoots,
    approvalPolicy: flags.approvalPolicy ?? config.approval_policy,
    maxSteps: config.agent.max_steps,
    contextWindow: config.model_context_window ?? DEFAULT_CONTEXT_WINDOW,
    compactThreshold: config.agent.compact_threshold,
    reasoningEffort: config.model_reasoning_effort,
    outputSchema: flags.outputSchema,
    waitForReset: flags.waitForReset ?? false,
    webSearchRequested: config.web_search !== undefined && config.web_search !== "disabled",
    interactive: input.interactive,
    guard: input.guard,
    toolset: flags.toolset ?? "default",
    profile: flags.profile,
    // A model named for this run wins over measured numbers.
    evalRouting:
      flags.model ||
      flags.singleModel ||
      (flags.roles ?? []).some((flag) => flag.startsWith("executor="))
        ? undefined
        : input.evalRouting,
  };
}

/**
 * Refuses to start tools whose workspace, working directory or a writable root lies inside a
 * denied path (say hedge run inside `$HEDGE_HOME`): the sandbox would hide it and the read tools
 * refuse it, so nothing could work, and showing it would show the secrets next to it.
 */
function assertToolRootsVisible(roots: readonly string[], denyRead: readonly string[]): void {
  const hidden = findHiddenRoot(roots, resolveDenyRead(denyRead));
  if (hidden === undefined) return;
  throw new UsageError(
    `${hidden.root} is inside ${hidden.denied}, which hedge hides from its tools (it may hold credentials)`,
    {
      hint: "run hedge in a project outside it (for $HEDGE_HOME: point HEDGE_HOME elsewhere), or take the path out of sandbox.deny_read",
    },
  );
}
