import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { z } from "zod";
import { ensureBwrapWorks, findBwrap, SandboxUnavailableError } from "../sandbox/bwrap.js";
import { prepareSandboxedCommand, type PreparedCommand } from "../sandbox/prepare-command.js";
import { runApplyPatch } from "./apply-patch.js";
import {
  approvalDenied,
  describeCommand,
  planExecApproval,
  shouldOfferUnsandboxedRetry,
} from "./approval.js";
import { isApproved } from "./approval-schema.js";
import { patchFromShellCommand } from "./patch-invocation.js";
import { runProcess } from "./run-process.js";
import {
  defineTool,
  toolError,
  type ExecMetadata,
  type ToolContext,
  type ToolResult,
} from "./tool.js";

export const DEFAULT_TIMEOUT_MS = 60_000;
export const MAX_TIMEOUT_MS = 30 * 60_000;

export const shellParameters = z.strictObject({
  command: z
    .array(z.string())
    .min(1)
    .describe('The command as an argv array, e.g. ["bash", "-lc", "npm test"] or ["ls", "-la"].'),
  workdir: z
    .string()
    .min(1)
    .optional()
    .describe(
      "Working directory, relative to the current one or absolute. Defaults to the current one.",
    ),
  timeout_ms: z
    .number()
    .int()
    .positive()
    .max(MAX_TIMEOUT_MS)
    .optional()
    .describe(`Kill the command after this many milliseconds (default ${DEFAULT_TIMEOUT_MS}).`),
  with_escalated_permissions: z
    .boolean()
    .optional()
    .describe(
      "Ask the user to run this command outside the sandbox (e.g. it needs the network or to write outside the workspace).",
    ),
  justification: z
    .string()
    .optional()
    .describe("With with_escalated_permissions: one sentence telling the user why."),
});

const description = `Run a command and return its exit code and output (stdout and stderr interleaved; long output keeps its beginning and end). Commands run in a sandbox: depending on the session, writes outside the workspace and network access may be blocked, and .git and .hedge are read-only and cannot be created (no protection only with --sandbox danger-full-access, which the user chooses). Prefer ["bash", "-lc", "..."] for pipelines. To edit files use apply_patch.`;

/** `shell`: runs an argv command through the sandbox, with Codex's approval semantics. */
export const shellTool = defineTool({
  name: "shell",
  description,
  parameters: shellParameters,
  async execute(params, context): Promise<ToolResult> {
    const patch = patchFromShellCommand(params.command);
    if (patch !== undefined) return runApplyPatch(patch, context);

    const cwd = resolve(context.cwd, params.workdir ?? ".");
    const cwdStats = await stat(cwd).catch(() => undefined);
    if (cwdStats?.isDirectory() !== true) {
      return toolError("invalid_workdir", `workdir ${cwd} does not exist or is not a directory`);
    }
    const plan = planExecApproval({
      policy: context.approvalPolicy,
      mode: context.sandboxMode,
      command: params.command,
      escalationRequested: params.with_escalated_permissions === true,
    });
    if (plan.action === "ask") {
      const answer = await context.approve({
        kind: "exec",
        command: params.command,
        cwd,
        reason: plan.reason,
        sandboxed: plan.sandboxed,
        ...(params.justification === undefined ? {} : { justification: params.justification }),
      });
      if (!isApproved(answer)) {
        return approvalDenied(`running ${describeCommand(params.command)}`, plan.reason, answer);
      }
    }
    const timeoutMs = params.timeout_ms ?? DEFAULT_TIMEOUT_MS;
    const first = await runShellCommand(params.command, cwd, plan.sandboxed, timeoutMs, context);
    if (!first.ok || first.metadata?.kind !== "exec") return first;

    const failed = first.metadata;
    const retry = shouldOfferUnsandboxedRetry({
      policy: context.approvalPolicy,
      sandboxed: failed.sandboxed,
      exitCode: failed.exit_code,
      timedOut: failed.timed_out,
      output: failed.aggregated_output,
    });
    if (!retry) return first;
    const reason = `it failed in the sandbox (exit code ${failed.exit_code}); run it again outside the sandbox?`;
    const answer = await context.approve({
      kind: "exec",
      command: params.command,
      cwd,
      reason,
      sandboxed: false,
      ...(params.justification === undefined ? {} : { justification: params.justification }),
    });
    if (!isApproved(answer)) {
      const note = answer.type === "deny_with_note" ? `; the user's note: ${answer.note}` : "";
      return {
        ...first,
        output: `${first.output}\n[running it again outside the sandbox was not approved${note}]`,
      };
    }
    return runShellCommand(params.command, cwd, false, timeoutMs, context);
  },
});

async function runShellCommand(
  command: string[],
  cwd: string,
  sandboxed: boolean,
  timeoutMs: number,
  context: ToolContext,
): Promise<ToolResult> {
  let spawnable: PreparedCommand;
  try {
    if (sandboxed) await ensureBwrapWorks(findBwrap(context.bwrapPath));
    spawnable = await prepareSandboxedCommand(command, {
      mode: sandboxed ? context.sandboxMode : "danger-full-access",
      workspace: context.workspace,
      writableRoots: context.writableRoots,
      network: context.network,
      cwd,
      denyRead: context.denyRead,
      // The session's directory too: hedge looks for its project config from there.
      protectFrom: [context.cwd],
      ...(context.bwrapPath === undefined ? {} : { bwrapPath: context.bwrapPath }),
      ...(context.privateTmp === undefined ? {} : { privateTmp: context.privateTmp }),
    });
  } catch (error) {
    if (error instanceof SandboxUnavailableError) {
      const hint =
        error.hint === undefined || error.message.includes(error.hint) ? "" : ` (${error.hint})`;
      return toolError("sandbox_unavailable", `${error.message}${hint}`);
    }
    throw error;
  }
  const env: NodeJS.ProcessEnv = { ...context.env };
  if (sandboxed) {
    env["HEDGE_SANDBOX"] = context.sandboxMode;
    if (!context.network) env["HEDGE_SANDBOX_NETWORK_DISABLED"] = "1";
  }
  const result = await runProcess({
    command: spawnable.command,
    args: spawnable.args,
    cwd,
    env,
    timeoutMs,
    signal: context.signal,
    redactor: context.redactor,
    ...(context.onOutput === undefined ? {} : { onOutput: context.onOutput }),
  }).finally(() => spawnable.release());
  if (result.status === "spawn_failed") {
    return toolError(
      "spawn_failed",
      `could not start ${describeCommand(command)}: ${result.message}`,
    );
  }
  if (result.aborted) {
    return toolError("aborted", `${describeCommand(command)} was stopped: the turn was aborted`);
  }
  const metadata: ExecMetadata = {
    kind: "exec",
    command,
    exit_code: result.exitCode,
    duration_ms: result.durationMs,
    timed_out: result.timedOut,
    aggregated_output: result.output,
    sandboxed,
  };
  return { ok: true, output: formatForModel(metadata, timeoutMs), metadata };
}

function formatForModel(metadata: ExecMetadata, timeoutMs: number): string {
  const lines = [
    ...(metadata.timed_out ? [`command timed out after ${timeoutMs} ms (killed)`] : []),
    `Exit code: ${metadata.exit_code}`,
    `Wall time: ${(metadata.duration_ms / 1000).toFixed(1)} seconds`,
    "Output:",
    metadata.aggregated_output,
  ];
  return lines.join("\n");
}
