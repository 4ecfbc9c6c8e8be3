import { existsSync, readFileSync, statSync } from "node:fs";
import { extname, resolve } from "node:path";
import {
  SessionFile,
  composeInstructions,
  createPlanningToolRegistry,
  createToolHost,
  decideTurn,
  findSession,
  gitRoot,
  loadProjectInstructions,
  resolveRoles,
  runRoleTurn,
  sandboxModeSchema,
  type AgentEvent,
  type Roles,
  type SandboxMode,
} from "@hedge/core";
import { type ContentPart, HedgeError, UsageError } from "@hedge/model-spec";
import type { GatewayEngine } from "@hedge/gateway";
import {
  DEFAULT_CONTEXT_WINDOW,
  checkOutputFile,
  checkPromptFits,
  checkPromptText,
  writeOutputFile,
} from "./exec-input.js";
import { createQaVerifier } from "./exec-qa.js";
import { commandContext } from "../command-context.js";
import type { GlobalOptions } from "../context.js";
import { EXIT } from "../exit-codes.js";
import { connectModels } from "../composition/model-connection.js";
import { assertToolRootsVisible, toolDenyRead, toolGuardOptions } from "../tool-guard.js";
import { humanPrinter, jsonPrinter } from "./exec-printer.js";

export interface ExecOptions {
  model?: string;
  /** `--role ROLE=MODEL`, repeatable. */
  role: string[];
  singleModel?: string;
  /** false with `--no-qa`. */
  qa: boolean;
  /** `--orchestrate` (true) / `--no-orchestrate` (false). */
  orchestrate?: boolean;
  sandbox?: string;
  fullAuto?: boolean;
  cd?: string;
  addDir: string[];
  skipGitRepoCheck?: boolean;
  json: boolean;
  outputLastMessage?: string;
  outputSchema?: string;
  image: string[];
  gateway?: string;
  /** `--wait-for-reset`: when every profile is at its limit, wait for the earliest reset. */
  waitForReset?: boolean;
}

export interface ResumeTarget {
  id?: string;
  last?: boolean;
}

/**
 * `hedge exec [PROMPT | -]`: one non-interactive turn, following `codex exec` so scripts and the
 * Codex SDK work unchanged. Exit 0 on a completed turn, 1 on failure or interruption.
 */
export async function runExec(
  globals: GlobalOptions,
  promptArgument: string | undefined,
  options: ExecOptions,
  resume?: ResumeTarget,
): Promise<void> {
  if (resume && !resume.last && resume.id === undefined) {
    throw new UsageError("resume needs a session id or --last", {
      hint: 'hedge exec resume --last "continue"',
    });
  }
  const cwd = resolve(options.cd ?? process.cwd());
  if (!existsSync(cwd) || !statSync(cwd).isDirectory()) {
    throw new UsageError(`--cd ${options.cd ?? ""}: not a directory`);
  }
  const repo = gitRoot(cwd);
  if (!options.skipGitRepoCheck && !repo) {
    throw new UsageError(`${cwd} is not inside a git repository`, {
      hint: "run hedge exec inside a git repository so changes can be reviewed, or pass --skip-git-repo-check",
    });
  }
  const sandboxOverride = options.sandbox ?? (options.fullAuto ? "workspace-write" : undefined);
  if (
    sandboxOverride !== undefined &&
    !sandboxModeSchema.options.includes(sandboxOverride as SandboxMode)
  ) {
    throw new UsageError(
      `--sandbox expects one of ${sandboxModeSchema.options.join(", ")}, got "${sandboxOverride}"`,
    );
  }
  const prompt = await readPrompt(promptArgument);
  checkPromptText(prompt);
  if (options.outputLastMessage) checkOutputFile(options.outputLastMessage);
  const images = options.image.map(readImage);
  const outputSchema = options.outputSchema ? readSchema(options.outputSchema) : undefined;

  const { home, loaded } = commandContext(globals, cwd);
  const { config } = loaded;
  const sandboxMode = (sandboxOverride ??
    config.sandbox_mode ??
    config.sandbox.mode) as SandboxMode;
  const network = config.sandbox_workspace_write?.network_access ?? config.sandbox.network;
  const approvalPolicy = options.fullAuto ? "on-request" : config.approval_policy;
  const roles = resolveRoles({
    config: config.roles,
    ...(config.model ? { model: config.model } : {}),
    ...(options.model ? { executorFlag: options.model } : {}),
    roleFlags: options.role,
    ...(options.singleModel ? { singleModel: options.singleModel } : {}),
  });
  const model = roles.executor.model;
  const contextWindow = config.model_context_window ?? DEFAULT_CONTEXT_WINDOW;
  checkPromptFits({ prompt, images, model, contextWindow });
  let decision = decideTurn({
    prompt,
    rules: config.roles.rules,
    ...(options.orchestrate === undefined
      ? {}
      : { override: options.orchestrate ? "orchestrated" : "executor" }),
  });
  const qaEnabled = options.qa && config.qa.enabled;
  const workspace = repo ?? cwd;
  const writableRoots = [
    ...options.addDir.map((dir) => resolve(cwd, dir)),
    ...(config.sandbox_workspace_write?.writable_roots ?? []),
  ];
  assertToolRootsVisible([workspace, cwd, ...writableRoots], toolDenyRead(config, home));

  const connection = await connectModels(config, home, options.gateway, options.waitForReset);
  let skippedOrchestration: string | undefined;
  let orchestratorRouted = false;
  if (connection.engine && decision.mode === "orchestrated" && decision.source === "heuristic") {
    // Only a guess asked for the orchestrator: without a route for it the turn runs with the
    // executor alone, and says so. An explicit --orchestrate or a config rule still fails below.
    const failure = await roleFailure(
      connection.engine,
      roles.orchestrator,
      "orchestrator",
      options.waitForReset,
    );
    orchestratorRouted = failure === undefined;
    if (failure) {
      skippedOrchestration = `orchestration skipped (${decision.reason}): role orchestrator, model "${roles.orchestrator.model}", has no allowed route: ${failure}`;
      decision = {
        mode: "executor",
        source: "heuristic",
        reason: "the orchestrator has no allowed route",
      };
    }
  }
  if (connection.engine) {
    await checkRoles(
      connection.engine,
      roles,
      {
        orchestrator: decision.mode === "orchestrated" && !orchestratorRouted,
        executor: true,
        qa: qaEnabled,
      },
      options.waitForReset,
    ).catch(async (error: unknown) => {
      await connection.close();
      throw error;
    });
  }
  const session = resume
    ? SessionFile.open(findSession(home, resume))
    : SessionFile.create(home, { cwd, model });
  const toolOptions = {
    workspace,
    cwd,
    writableRoots,
    sandboxMode,
    network,
    approvalPolicy,
    // Nobody can answer in exec: anything that needs approval is declined and the model told.
    approve: () => Promise.resolve("denied" as const),
    // hedge's keys stay out of tools' children and output; secret stores stay hidden.
    ...toolGuardOptions(config, home, connection.secrets),
  };
  const tools = createToolHost(toolOptions);
  const orchestratorTools = createToolHost({
    ...toolOptions,
    registry: createPlanningToolRegistry(),
  });
  const turnId = `turn_${Date.now().toString(36)}`;
  const verifier = qaEnabled
    ? await createQaVerifier({
        client: connection.client,
        model: roles.qa.model,
        ...(roles.qa.profiles ? { profiles: roles.qa.profiles } : {}),
        repo,
        budgetTokens: config.qa.diff_budget_tokens,
        sessionId: session.id,
        turnId,
      })
    : undefined;
  const project = loadProjectInstructions(home, cwd);
  const instructions = composeInstructions({
    projectInstructions: project.text,
    cwd,
    sandboxMode,
    network,
    approvalPolicy,
    interactive: false,
  });

  const printer = options.json
    ? jsonPrinter((text) => process.stdout.write(text))
    : humanPrinter((text) => process.stderr.write(text));
  const abort = new AbortController();
  let interrupts = 0;
  const onSignal = (): void => {
    interrupts += 1;
    if (interrupts > 1) process.exit(EXIT.interrupted);
    abort.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  // Item ids continue across turns of a resumed session.
  let itemCounter = session.itemCount();
  let lastMessage = "";
  let outcome: "completed" | "failed" = "failed";
  try {
    const started: AgentEvent = { type: "thread.started", thread_id: session.id };
    session.appendEvent(started);
    printer.event(started);
    if (config.web_search && config.web_search !== "disabled") {
      printer.event({
        type: "item.completed",
        item: {
          id: `item_${itemCounter++}`,
          type: "notice",
          message: "web_search is not available in hedge; continuing without it",
        },
      });
    }
    if (skippedOrchestration) {
      const notice: AgentEvent = {
        type: "item.completed",
        item: { id: `item_${itemCounter++}`, type: "notice", message: skippedOrchestration },
      };
      session.appendEvent(notice);
      printer.event(notice);
    }
    for await (const event of runRoleTurn(
      { prompt, images },
      {
        client: connection.client,
        roles,
        decision,
        instructions,
        tools,
        orchestratorTools,
        session,
        signal: abort.signal,
        maxSteps: config.agent.max_steps,
        compaction: {
          contextWindow,
          threshold: config.agent.compact_threshold,
        },
        ...(outputSchema ? { outputSchema } : {}),
        ...(config.model_reasoning_effort
          ? { reasoningEffort: config.model_reasoning_effort }
          : {}),
        nextItemId: () => `item_${itemCounter++}`,
        turnId,
        escalateAfter: config.roles.escalate_after,
        maxEscalations: config.roles.max_escalations,
        ...(verifier
          ? {
              qa: {
                maxRounds: config.qa.max_rounds,
                onError: config.qa.on_error,
                verify: verifier,
              },
            }
          : {}),
        onVerdict: (verdict) =>
          connection.engine?.recordVerdict({
            session: session.id,
            turn: turnId,
            model: roles.qa.model,
            verdict,
          }),
      },
    )) {
      printer.event(event);
      if (event.type === "item.completed" && event.item.type === "agent_message")
        lastMessage = event.item.text;
      if (event.type === "turn.completed") outcome = "completed";
    }
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    session.close();
    await connection.close();
  }
  if (options.outputLastMessage) writeOutputFile(options.outputLastMessage, lastMessage);
  if (!options.json && outcome === "completed") process.stdout.write(`${lastMessage}\n`);
  process.exitCode = outcome === "completed" ? EXIT.ok : EXIT.failed;
}

/**
 * Why a role's model has no allowed route, or undefined when it has one. With `--wait-for-reset`
 * a role whose every route is at its limit right now has one: the engine waits for the reset.
 */
async function roleFailure(
  engine: GatewayEngine,
  role: Roles[keyof Roles],
  name: keyof Roles,
  waitForReset = false,
): Promise<string | undefined> {
  try {
    const { error } = await engine.explain({
      model: role.model,
      role: name,
      ...(role.profiles ? { profiles: role.profiles } : {}),
    });
    if (waitForReset && error?.code === "usage_exhausted") return undefined;
    return error?.message;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * Every role this turn will use must have an allowed, configured route before the turn starts:
 * a clear error naming the role and the fix, never a silent fallback to another model.
 */
async function checkRoles(
  engine: GatewayEngine,
  roles: Roles,
  used: Record<keyof Roles, boolean>,
  waitForReset = false,
): Promise<void> {
  for (const role of ["executor", "orchestrator", "qa"] as const) {
    if (!used[role]) continue;
    const { model } = roles[role];
    const failure = await roleFailure(engine, roles[role], role, waitForReset);
    if (failure) {
      const hint =
        role === "qa"
          ? 'set [roles] qa = "provider/model" (or model = ...), pass --role qa=MODEL, or turn QA off with --no-qa'
          : `set [roles] ${role} = "provider/model" (or model = ...), or pass --role ${role}=MODEL / --single-model MODEL`;
      throw new HedgeError(
        "role_unroutable",
        `role ${role}: model "${model}" has no allowed route: ${failure}`,
        {
          hint,
        },
      );
    }
  }
}

async function readPrompt(argument: string | undefined): Promise<string> {
  if (argument !== undefined && argument !== "-") return argument;
  if (process.stdin.isTTY) {
    throw new UsageError("no prompt given", {
      hint: 'pass it as an argument, or pipe it: echo "fix the tests" | hedge exec -',
    });
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8").trim();
  if (!text) throw new UsageError("the prompt read from stdin is empty");
  return text;
}

const IMAGE_TYPES: Record<string, string> = {
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
};

function readImage(path: string): ContentPart {
  const mediaType = IMAGE_TYPES[extname(path).toLowerCase()];
  if (!mediaType)
    throw new UsageError(`--image ${path}: expected a .png, .jpg, .gif or .webp file`);
  let data: Buffer;
  try {
    data = readFileSync(path);
  } catch {
    throw new UsageError(`--image ${path}: cannot read the file`);
  }
  return {
    type: "image",
    source: { kind: "base64", media_type: mediaType, data: data.toString("base64") },
  };
}

function readSchema(path: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch {
    throw new UsageError(`--output-schema ${path}: not a readable JSON file`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new UsageError(`--output-schema ${path}: expected a JSON Schema object`);
  }
  return parsed as Record<string, unknown>;
}
