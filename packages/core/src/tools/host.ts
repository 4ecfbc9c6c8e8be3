import type { CanonicalTool } from "@hedge/model-spec";
import type { ThreadItem } from "../agent/items.js";
import type { ToolCallOutcome, ToolCallRequest, ToolHost } from "../agent/tool-host.js";
import { shellEnvironmentPolicySchema } from "../config-schema.js";
import { createDefaultToolRegistry } from "./default-tools.js";
import { resolveDenyRead } from "./read-guard.js";
import { SecretRedactor } from "./redact.js";
import type { ToolRegistry } from "./registry.js";
import type { ToolContext, ToolResult } from "./tool.js";
import { buildToolEnvironment, type ShellEnvironmentPolicy } from "./tool-environment.js";

/** What the tools need for every call of a session; each call adds its signal and output sink. */
export interface ToolHostOptions extends Omit<
  ToolContext,
  "signal" | "onOutput" | "env" | "denyRead" | "redactor"
> {
  registry?: ToolRegistry;
  /**
   * The secrets hedge holds (profile keys loaded for routing, `api_key_env` values, the gateway
   * key): replaced by `[redacted]` in every tool result and update, and never in a child's
   * environment.
   */
  secrets?: readonly string[];
  /** Variables that hold hedge's keys: never passed to a tool's child, whatever the policy says. */
  keyVariables?: readonly string[];
  /** `[shell_environment_policy]` (default: the `core` variables minus the default excludes). */
  shellEnvironment?: ShellEnvironmentPolicy;
  /**
   * Paths hidden from tools on top of DEFAULT_DENY_READ: `$HEDGE_HOME`, the vendor CLI homes of
   * profiles, `sandbox.deny_read` (`~` expanded).
   */
  denyRead?: readonly string[];
}

/** The parts of every call's context that keep secrets from the model, built once per host. */
function secretGuard(options: ToolHostOptions): Pick<ToolContext, "env" | "denyRead" | "redactor"> {
  const redactor = new SecretRedactor(options.secrets ?? []);
  return {
    redactor,
    denyRead: resolveDenyRead(options.denyRead ?? []),
    env: buildToolEnvironment(
      process.env,
      options.shellEnvironment ?? shellEnvironmentPolicySchema.parse({}),
      { variables: options.keyVariables ?? [], redactor },
    ),
  };
}

/** The result with every known secret replaced, as the model, the session and events get it. */
function redactResult(result: ToolResult, redactor: SecretRedactor): ToolResult {
  if (!result.ok) {
    return {
      ok: false,
      error: { ...result.error, message: redactor.redact(result.error.message) },
    };
  }
  const metadata =
    result.metadata?.kind === "exec"
      ? {
          ...result.metadata,
          aggregated_output: redactor.redact(result.metadata.aggregated_output),
        }
      : result.metadata?.kind === "patch"
        ? {
            ...result.metadata,
            changes: result.metadata.changes.map((change) =>
              change.diff === undefined
                ? change
                : { ...change, diff: redactor.redact(change.diff) },
            ),
          }
        : result.metadata;
  return {
    ok: true,
    output: redactor.redact(result.output),
    ...(metadata === undefined ? {} : { metadata }),
  };
}

/**
 * The agent's tools behind the loop's `ToolHost`: runs a call through the registry and reports
 * it as the thread items of Codex's exec schema (`command_execution`, `file_change`,
 * `todo_list`), or hedge's `tool_call` for the other tools.
 */
export function createToolHost(options: ToolHostOptions): ToolHost {
  const registry = options.registry ?? createDefaultToolRegistry();
  const specs: CanonicalTool[] = registry.definitions();
  const guard = secretGuard(options);
  return {
    specs: () => specs,
    async run(call, report, nextItemId, signal): Promise<ToolCallOutcome> {
      const id = nextItemId();
      const startedAt = performance.now();
      const started = startedItem(call, id);
      if (started) report("started", started);
      let output = "";
      const streamed = guard.redactor.stream();
      const raw = await registry.call(call.name, call.arguments, {
        workspace: options.workspace,
        cwd: options.cwd,
        writableRoots: options.writableRoots,
        sandboxMode: options.sandboxMode,
        network: options.network,
        approvalPolicy: options.approvalPolicy,
        approve: options.approve,
        signal,
        ...(options.bwrapPath ? { bwrapPath: options.bwrapPath } : {}),
        ...(options.privateTmp ? { privateTmp: options.privateTmp } : {}),
        ...guard,
        onOutput: (chunk) => {
          if (started?.type !== "command_execution") return;
          const shown = streamed.push(chunk);
          if (shown === "") return;
          output += shown;
          report("updated", { ...started, aggregated_output: output });
        },
      });
      const result = redactResult(raw, guard.redactor);
      const durationMs = Math.round(performance.now() - startedAt);
      report("completed", completedItem(call, id, result, started, durationMs));
      return result.ok
        ? { content: result.output, isError: false }
        : { content: JSON.stringify({ error: result.error }), isError: true };
    },
  };
}

function parsedArguments(call: ToolCallRequest): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(call.arguments);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The item a call starts as, when its kind has a started state (commands and other tools). */
function startedItem(call: ToolCallRequest, id: string): ThreadItem | undefined {
  const args = parsedArguments(call);
  if (call.name === "shell") {
    const command = Array.isArray(args?.["command"])
      ? commandLine(args["command"] as string[])
      : call.arguments;
    return { id, type: "command_execution", command, aggregated_output: "", status: "in_progress" };
  }
  if (call.name === "apply_patch" || call.name === "update_plan") return undefined;
  return {
    id,
    type: "tool_call",
    tool: call.name,
    arguments: args ?? call.arguments,
    status: "in_progress",
  };
}

function completedItem(
  call: ToolCallRequest,
  id: string,
  result: ToolResult,
  started: ThreadItem | undefined,
  durationMs: number,
): ThreadItem {
  const metadata = result.ok ? result.metadata : undefined;
  if (metadata?.kind === "exec") {
    return {
      id,
      type: "command_execution",
      command: commandLine(metadata.command),
      aggregated_output: metadata.aggregated_output,
      exit_code: metadata.exit_code,
      duration_ms: durationMs,
      status: metadata.exit_code === 0 ? "completed" : "failed",
    };
  }
  if (metadata?.kind === "patch") {
    return {
      id,
      type: "file_change",
      changes: metadata.changes.map(({ path, kind, diff }) => ({
        path,
        kind,
        ...(diff === undefined ? {} : { diff }),
      })),
      status: "completed",
    };
  }
  if (metadata?.kind === "plan") {
    return {
      id,
      type: "todo_list",
      items: metadata.plan.map((step) => ({
        text: step.step,
        completed: step.status === "completed",
      })),
    };
  }
  if (started?.type === "command_execution") {
    const declined = !result.ok && result.error.type === "approval_denied";
    return {
      ...started,
      aggregated_output: result.ok ? result.output : result.error.message,
      duration_ms: durationMs,
      status: declined ? "declined" : "failed",
    };
  }
  if (call.name === "apply_patch") {
    return { id, type: "file_change", changes: [], status: "failed" };
  }
  if (call.name === "update_plan" && !result.ok) {
    return { id, type: "error", message: `update_plan: ${result.error.message}` };
  }
  return {
    id,
    type: "tool_call",
    tool: call.name,
    arguments: parsedArguments(call) ?? call.arguments,
    ...(result.ok
      ? { output: result.output }
      : { error: `${result.error.type}: ${result.error.message}` }),
    status: result.ok ? "completed" : "failed",
  };
}

/** argv as one shell-readable line (Codex's `command` field): quoted only where needed. */
export function commandLine(argv: readonly string[]): string {
  return argv
    .map((arg) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`))
    .join(" ");
}
