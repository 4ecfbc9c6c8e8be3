import { createToolHost, type AgentEvent, type ThreadSettings } from "@hedge/core";

/**
 * `!cmd`: the user's own command, run like the agent's `shell` tool (same sandbox, same
 * environment policy, secrets redacted) but never asked about: the user typed it. Reported as
 * command cell events.
 */
export function createShellRunner(
  settings: ThreadSettings,
  heldSecrets: readonly string[],
): (command: string, emit: (event: AgentEvent) => void) => Promise<void> {
  const guard = settings.guard;
  const host = createToolHost({
    workspace: settings.workspace,
    cwd: settings.cwd,
    writableRoots: settings.writableRoots,
    sandboxMode: settings.sandboxMode,
    network: settings.network,
    approvalPolicy: "never",
    approve: () => Promise.resolve({ type: "deny" }),
    secrets: [...heldSecrets, ...guard.secrets],
    keyVariables: guard.keyVariables,
    shellEnvironment: guard.shellEnvironment,
    denyRead: guard.denyRead,
  });
  let counter = 0;
  return async (command, emit) => {
    counter += 1;
    await host.run(
      {
        id: `user_shell_${counter}`,
        name: "shell",
        arguments: JSON.stringify({ command: ["bash", "-lc", command] }),
      },
      (phase, item) =>
        emit({
          type:
            phase === "started"
              ? "item.started"
              : phase === "updated"
                ? "item.updated"
                : "item.completed",
          item,
        }),
      () => `user_shell_item_${counter}`,
      new AbortController().signal,
    );
  };
}
