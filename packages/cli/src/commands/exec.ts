import { Thread, resolveThreadSettings, type AgentEvent } from "@hedge/core";
import { loadEvalRouting } from "@hedge/evals";
import {
  readExecInput,
  writeOutputFile,
  type ExecOptions,
  type ResumeTarget,
} from "./exec-input.js";
import { commandContext } from "../command-context.js";
import type { GlobalOptions } from "../context.js";
import { EXIT } from "../exit-codes.js";
import { connectClient } from "../composition/connect.js";
import { startMcpServers } from "../mcp-servers.js";
import { toolGuardOptions } from "../tool-guard.js";
import { humanPrinter, jsonPrinter } from "./exec-printer.js";
import { fireSessionHooks } from "./session-hooks.js";

export type { ExecOptions, ResumeTarget } from "./exec-input.js";

/**
 * `hedge exec [PROMPT | -]`: one non-interactive turn, following `codex exec` so scripts and the
 * Codex SDK work unchanged. A printer over the thread's events: exit 0 on a completed turn, 1 on
 * failure or interruption (130 on a second Ctrl-C).
 */
export async function runExec(
  globals: GlobalOptions,
  promptArgument: string | undefined,
  options: ExecOptions,
  resume?: ResumeTarget,
): Promise<void> {
  const input = await readExecInput(promptArgument, options, resume);
  const { home, loaded } = commandContext(globals, input.cwd);
  const { config } = loaded;
  // Everything that needs no model first: a bad flag or a hidden workspace costs nothing.
  const guard = toolGuardOptions(config, home, []);
  const evalRouting = loadEvalRouting(home, config.routing);
  const settings = resolveThreadSettings({
    home,
    cwd: input.cwd,
    config,
    flags: {
      ...(options.model ? { model: options.model } : {}),
      roles: options.role,
      ...(options.singleModel ? { singleModel: options.singleModel } : {}),
      ...(options.orchestrate === undefined ? {} : { orchestrate: options.orchestrate }),
      qa: options.qa,
      ...(input.sandboxMode ? { sandboxMode: input.sandboxMode } : {}),
      ...(options.fullAuto ? { approvalPolicy: "on-request" as const } : {}),
      addDirs: options.addDir,
      ...(input.outputSchema ? { outputSchema: input.outputSchema } : {}),
      waitForReset: options.waitForReset === true,
    },
    guard,
    // Nobody can answer in exec: anything that needs approval is declined and the model told.
    interactive: false,
    ...(evalRouting ? { evalRouting } : {}),
  });

  // MCP servers before the model: a required one that fails stops here, having cost nothing.
  const startAbort = new AbortController();
  const stopStart = (): void => startAbort.abort();
  process.once("SIGINT", stopStart);
  const mcp = await startMcpServers(config, home, startAbort.signal).finally(() =>
    process.off("SIGINT", stopStart),
  );
  const connection = await connectClient(config, home, options.gateway, {
    waitForReset: options.waitForReset === true,
  });
  const printer = options.json
    ? jsonPrinter((text) => process.stdout.write(text))
    : humanPrinter((text) => process.stderr.write(text));
  let thread: Thread | undefined;
  let interrupts = 0;
  const onSignal = (): void => {
    interrupts += 1;
    if (interrupts > 1) process.exit(EXIT.interrupted);
    void thread?.interrupt();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  let lastMessage = "";
  let outcome: "completed" | "failed" = "failed";
  try {
    thread = new Thread(settings, {
      client: connection.client,
      heldSecrets: await connection.secrets(),
      ...(resume ? { resume } : {}),
      approvals: "deny",
      ...(mcp ? { mcp } : {}),
    });
    for await (const event of thread.run({ prompt: input.prompt, images: input.images })) {
      printer.event(event);
      lastMessage = finalMessage(event) ?? lastMessage;
      if (event.type === "turn.completed") outcome = "completed";
    }
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await thread?.close();
    await connection.client.close();
    await mcp?.close();
  }
  await fireSessionHooks(home, config, outcome === "completed" ? "turn_completed" : "turn_failed");
  if (options.outputLastMessage) writeOutputFile(options.outputLastMessage, lastMessage);
  if (!options.json && outcome === "completed") process.stdout.write(`${lastMessage}\n`);
  process.exitCode = outcome === "completed" ? EXIT.ok : EXIT.failed;
}

function finalMessage(event: AgentEvent): string | undefined {
  return event.type === "item.completed" && event.item.type === "agent_message"
    ? event.item.text
    : undefined;
}
