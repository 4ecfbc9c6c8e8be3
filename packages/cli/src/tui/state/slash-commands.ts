/**
 * The slash commands, in popup order (not alphabetical: the most used first, as Codex orders
 * its enum). The registry only describes them; the app runs each by its `handler` id, except
 * `/quit` (the session reducer quits) and `/ask` (the effect runner asks the thread).
 */

/** What runs a command: the app's handler for it. */
export type SlashHandlerId = "status" | "ask" | "diff" | "init" | "usage" | "route" | "quit";

/** One slash command. */
export interface SlashCommand {
  /** Without the slash. */
  readonly name: string;
  readonly aliases: readonly string[];
  /** One line, for the popup. */
  readonly description: string;
  /** The arguments it takes, shown after the name (`QUESTION`); absent: none. */
  readonly argsHint?: string;
  /** Whether it may run while a turn runs (Codex's `available_during_task`). */
  readonly availableDuringTask: boolean;
  readonly handler: SlashHandlerId;
}

const command = (
  name: SlashHandlerId,
  description: string,
  availableDuringTask: boolean,
  extra: { aliases?: readonly string[]; argsHint?: string } = {},
): SlashCommand => ({
  name,
  aliases: extra.aliases ?? [],
  description,
  ...(extra.argsHint === undefined ? {} : { argsHint: extra.argsHint }),
  availableDuringTask,
  handler: name,
});

/**
 * Commands that start work of their own (`/init` sends a prompt) wait until the turn ends; those
 * that only read or answer aside run at any time. Only commands the TUI can carry out are listed
 * (no entry that does nothing): `/model`, `/approvals`, `/profile`, `/compact`, `/new` and
 * `/resume` need the thread to change its settings or session in place, which it cannot yet;
 * their flags (`-m`, `-a`, `--profile`) and `hedge resume` do it at start.
 */
export const SLASH_COMMANDS: readonly SlashCommand[] = [
  command("status", "config sources, roles and routes, profiles' headroom, session, tokens", true),
  command("ask", "a side question, answered on a fork by the model holding the context", true, {
    argsHint: "QUESTION",
  }),
  command("diff", "the session's git diff, paged", true),
  command("init", "ask the agent to write an AGENTS.md draft for this repository", false),
  command("usage", "rate-limit windows and headroom per profile", true),
  command("route", "the last route decisions, explained", true),
  command("quit", "quit (pending inputs stay saved for hedge resume)", true, {
    aliases: ["exit"],
  }),
];
