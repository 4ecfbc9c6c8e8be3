/**
 * The slash commands, in popup order (not alphabetical: the most used first, as Codex orders
 * its enum). The registry only describes them; the app runs each by its `handler` id, except
 * `/quit` (the session reducer quits) and `/ask` (the effect runner asks the thread).
 */

/** What runs a command: the app's handler for it. */
export type SlashHandlerId =
  | "model"
  | "approvals"
  | "status"
  | "ask"
  | "diff"
  | "compact"
  | "new"
  | "resume"
  | "init"
  | "profile"
  | "usage"
  | "route"
  | "quit";

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
 * Commands that change what the running turn depends on (its model, approval policy, profile,
 * session, context) wait until it ends; those that only read or answer aside run at any time.
 */
export const SLASH_COMMANDS: readonly SlashCommand[] = [
  command("model", "choose the executor's (or any role's) model; policy state shown", false),
  command("approvals", "choose when hedge asks before running commands or editing", false),
  command("status", "config sources, roles and routes, profiles' headroom, session, tokens", true),
  command("ask", "a side question, answered on a fork by the model holding the context", true, {
    argsHint: "QUESTION",
  }),
  command("diff", "the session's git diff, paged", true),
  command("compact", "summarise older turns to free context", false),
  command("new", "start a new session (pending inputs of this one stay saved)", false),
  command("resume", "pick a session to continue", false),
  command("init", "write an AGENTS.md draft for this repository", false),
  command("profile", "switch the pinned login profile", false),
  command("usage", "rate-limit windows and headroom per profile", true),
  command("route", "the last route decisions, explained", true),
  command("quit", "quit (pending inputs stay saved for hedge resume)", true, {
    aliases: ["exit"],
  }),
];
