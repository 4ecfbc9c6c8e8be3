/**
 * The slash commands, in popup order (not alphabetical: the most used first, as Codex orders
 * its enum). The registry only describes them; the app runs each by its `handler` id, except
 * `/quit` (the session reducer quits) and `/ask` (the effect runner asks the thread).
 */

/** What runs a command: the app's handler for it. */
export type SlashHandlerId =
  | "model"
  | "profile"
  | "compact"
  | "approvals"
  | "status"
  | "ask"
  | "diff"
  | "new"
  | "resume"
  | "init"
  | "usage"
  | "route"
  | "mcp"
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
  /** Whether it needs them (`/ask`); else without them it shows what it would change. */
  readonly argsRequired: boolean;
  /** Whether it may run while a turn runs (Codex's `available_during_task`). */
  readonly availableDuringTask: boolean;
  readonly handler: SlashHandlerId;
}

const command = (
  name: SlashHandlerId,
  description: string,
  availableDuringTask: boolean,
  extra: { aliases?: readonly string[]; argsHint?: string; argsRequired?: boolean } = {},
): SlashCommand => ({
  name,
  aliases: extra.aliases ?? [],
  description,
  ...(extra.argsHint === undefined ? {} : { argsHint: extra.argsHint }),
  argsRequired: extra.argsRequired ?? false,
  availableDuringTask,
  handler: name,
});

/**
 * Commands that change what a turn depends on (the model, the approval policy, the session) or
 * start work of their own (`/init` sends a prompt) wait until the turn ends; those that only read
 * or answer aside run at any time. Only commands the TUI carries out are listed.
 */
export const SLASH_COMMANDS: readonly SlashCommand[] = [
  command("model", "the roles' models; /model MODEL switches the executor's", false, {
    argsHint: "MODEL",
  }),
  command("profile", "pin a login profile for this session's roles on its provider", false, {
    argsHint: "NAME",
  }),
  command("approvals", "when hedge asks before running; /approvals POLICY changes it", false, {
    argsHint: "POLICY",
  }),
  command("status", "session, roles and their routes, tokens, context", true),
  command("ask", "a side question, answered on a fork by the model holding the context", true, {
    argsHint: "QUESTION",
    argsRequired: true,
  }),
  command("diff", "the working tree's changes against HEAD", true),
  command("compact", "summarise the conversation now to free the context window", false),
  command("new", "start a new session (this one stays saved for /resume)", false),
  command("resume", "the recent sessions; /resume ID continues one", false, { argsHint: "ID" }),
  command("init", "ask the agent to write an AGENTS.md draft for this repository", false),
  command("usage", "rate-limit windows and headroom per profile", true),
  command("route", "the last route decision of each role, explained", true),
  command("mcp", "MCP servers: their state and what their tools cost the context", true),
  command("quit", "quit (waiting inputs stay saved for hedge resume)", true, {
    aliases: ["exit"],
  }),
];
