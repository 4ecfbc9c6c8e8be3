import { closest, distance } from "fastest-levenshtein";
import { SLASH_COMMANDS, type SlashCommand } from "./slash-commands.js";

/** A composer line read as a command: `/name args`. */
export interface SlashInvocation {
  name: string;
  /** Everything after the name, trimmed (may span lines: `/ask` takes a paragraph). */
  args: string;
}

/**
 * The command a composer text invokes, or undefined when it is a message. `/` and a name, then
 * whitespace or the end: `/usr/bin/env is missing` is a message, not an unknown command.
 */
export function parseSlash(text: string): SlashInvocation | undefined {
  const match = /^\/([A-Za-z][\w-]*)(?=\s|$)([\s\S]*)$/.exec(text.trimStart());
  if (!match?.[1]) return undefined;
  return { name: match[1].toLowerCase(), args: (match[2] ?? "").trim() };
}

/** The popup's query: the name typed so far while the cursor is still in it, else undefined. */
export function slashQuery(text: string, cursor: number): string | undefined {
  const match = /^\/([\w-]*)$/.exec(text.slice(0, cursor));
  if (match === null || /^\S/.test(text.slice(cursor))) return undefined;
  return match[1]?.toLowerCase();
}

/** A popup row: the command, and whether it can run now. */
export interface SlashMatch {
  command: SlashCommand;
  enabled: boolean;
}

/**
 * Commands matching `query`: name or alias prefixes first, then names holding its letters in
 * order, each group in registry order. Commands that cannot run during a turn are listed but
 * disabled (greyed out), so the user learns they exist.
 */
export function matchCommands(
  query: string,
  running: boolean,
  commands: readonly SlashCommand[] = SLASH_COMMANDS,
): SlashMatch[] {
  const names = (item: SlashCommand): string[] => [item.name, ...item.aliases];
  const prefix = commands.filter((item) => names(item).some((name) => name.startsWith(query)));
  const loose = commands.filter(
    (item) => !prefix.includes(item) && names(item).some((name) => isSubsequence(query, name)),
  );
  return [...prefix, ...loose].map((item) => ({
    command: item,
    enabled: !running || item.availableDuringTask,
  }));
}

/** What a submitted command line resolves to. */
export type SlashResolution =
  | { type: "run"; command: SlashCommand; args: string }
  | { type: "busy"; command: SlashCommand }
  | { type: "unknown"; name: string; suggestion: string | undefined };

/** Resolves `/name args`: runnable, refused while a turn runs, or unknown with a suggestion. */
export function resolveSlash(
  invocation: SlashInvocation,
  running: boolean,
  commands: readonly SlashCommand[] = SLASH_COMMANDS,
): SlashResolution {
  const found = commands.find(
    (item) => item.name === invocation.name || item.aliases.includes(invocation.name),
  );
  if (!found) {
    const names = commands.flatMap((item) => [item.name, ...item.aliases]);
    const nearest = closest(invocation.name, names);
    const suggestion = distance(invocation.name, nearest) <= 2 ? nearest : undefined;
    return { type: "unknown", name: invocation.name, suggestion };
  }
  if (running && !found.availableDuringTask) return { type: "busy", command: found };
  return { type: "run", command: found, args: invocation.args };
}

/** The one line shown for an unknown or refused command (the text stays in the composer). */
export function slashMessage(resolution: Exclude<SlashResolution, { type: "run" }>): string {
  if (resolution.type === "busy")
    return `/${resolution.command.name} is not available while a turn runs (Esc interrupts it)`;
  const tail = resolution.suggestion ? ` Did you mean /${resolution.suggestion}?` : "";
  return `Unknown command /${resolution.name}.${tail}`;
}

function isSubsequence(query: string, name: string): boolean {
  let at = 0;
  for (const char of name) if (char === query[at]) at++;
  return at === query.length;
}
