import { SessionFile } from "@hedge/core";

/**
 * Writes a finished session of `turns` × 5 cells to `home` (a prompt, then two rounds of a
 * command and an answer), as a long day's session leaves it: what `hedge resume` of a 2,000-cell
 * transcript reads. Turn `n`'s prompt is "turn n: fix it". Returns the session file's path.
 */
export function writeLongSession(home: string, cwd: string, turns: number): string {
  const session = SessionFile.create(home, { cwd, model: "lab/coder" });
  for (let turn = 0; turn < turns; turn += 1) {
    const id = `long-input-${turn}`;
    session.appendMessage(
      { role: "user", content: [{ type: "text", text: `turn ${turn}: fix it` }] },
      [id],
    );
    session.appendEvent({ type: "input.delivered", ids: [id], via: "turn_start" });
    for (let step = 0; step < 2; step += 1) {
      session.appendEvent({
        type: "item.completed",
        item: {
          id: `cmd_${turn}_${step}`,
          type: "command_execution",
          command: "pnpm test",
          aggregated_output: Array.from({ length: 12 }, (_, line) => `line ${line}`).join("\n"),
          exit_code: 0,
          status: "completed",
        },
      });
      session.appendEvent({
        type: "item.completed",
        item: {
          id: `msg_${turn}_${step}`,
          type: "agent_message",
          text: `Step ${step} of turn ${turn}: changed \`src/a.ts\`.\n\n\`\`\`ts\nexport const a = ${turn};\n\`\`\``,
        },
      });
    }
  }
  session.close();
  return session.path;
}
