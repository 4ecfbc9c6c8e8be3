import { realpathSync } from "node:fs";
import { resolve } from "node:path";
import { findSession, resolveThreadSettings, Thread } from "@hedge/core";
import { HedgeError, UsageError } from "@hedge/model-spec";
import { commandContext } from "../command-context.js";
import { connectClient } from "../composition/connect.js";
import type { GlobalOptions } from "../context.js";
import { EXIT } from "../exit-codes.js";
import { toolGuardOptions } from "../tool-guard.js";
import { recentSessions } from "../tui/runtime/session-list.js";

/** `hedge ask`'s flags. */
export interface AskOptions {
  /** The session to ask about (an id or its start). */
  session?: string;
  /** The most recent session, wherever it ran. */
  last?: boolean;
  cd?: string;
  gateway?: string;
}

/**
 * `hedge ask QUESTION`: a side question about a session, answered on a fork of its conversation
 * by the model that holds it (thread.ask). The conversation is unchanged; the answer goes to
 * stdout (plain text, for pipes) and is recorded as an aside in the session. Default session:
 * the newest one that ran in this directory.
 */
export async function runAsk(
  globals: GlobalOptions,
  question: string,
  options: AskOptions,
): Promise<void> {
  if (!question.trim())
    throw new UsageError("ask needs a question", { hint: 'hedge ask "what is left to do?"' });
  if (options.session !== undefined && options.last)
    throw new UsageError("--session and --last pick the session two ways; use one");
  const cwd = resolve(options.cd ?? process.cwd());
  const { home, loaded } = commandContext(globals, cwd);
  const { config } = loaded;
  const reference =
    options.session !== undefined
      ? { id: options.session }
      : options.last
        ? { last: true }
        : { id: newestSessionIn(home, cwd) };
  // A foreseeable failure before connecting: no such session.
  findSession(home, reference);
  const guard = toolGuardOptions(config, home, []);
  const settings = resolveThreadSettings({
    home,
    cwd,
    config,
    flags: {},
    guard,
    interactive: false,
  });
  // Every profile loaded: the aside asks for the one the session last used, whatever is pinned.
  const connection = await connectClient(config, home, options.gateway, { pinPools: false });
  const abort = new AbortController();
  const stop = (): void => abort.abort();
  process.once("SIGINT", stop);
  let thread: Thread | undefined;
  let answer:
    | {
        text: string;
        error?: string;
        route: string;
        cached: number | undefined;
      }
    | undefined;
  try {
    thread = new Thread(settings, {
      client: connection.client,
      heldSecrets: await connection.secrets(),
      approvals: "deny",
      resume: reference,
      // The session may be open in a running TUI or exec: read it without its lock, write
      // nothing to its history; the aside is recorded in the file beside it.
      readOnly: true,
    });
    for await (const event of thread.ask(question, { signal: abort.signal })) {
      if (event.type === "item.completed" && event.item.type === "aside")
        answer = {
          text: event.item.text,
          ...(event.item.error === undefined ? {} : { error: event.item.error }),
          route: `${event.item.provider ? `${event.item.provider} · ` : ""}${event.item.model}${event.item.profile ? ` · profile ${event.item.profile}` : ""}`,
          cached: event.item.cached_input_tokens,
        };
    }
  } finally {
    process.off("SIGINT", stop);
    await thread?.close();
    await connection.client.close();
  }
  if (!answer || answer.error !== undefined) {
    process.stderr.write(`hedge: ask failed: ${answer?.error ?? "no answer"}\n`);
    process.exitCode = EXIT.failed;
    return;
  }
  process.stdout.write(`${answer.text.trimEnd()}\n`);
  // Where it ran and what the provider's prompt cache served: on stderr, so pipes get the answer.
  const cached = answer.cached ? ` · ${answer.cached.toLocaleString("en-US")} cached tokens` : "";
  process.stderr.write(`hedge: answered by ${answer.route}${cached}\n`);
}

/** The id of the newest session that ran in `cwd` (or a directory that resolves to it). */
function newestSessionIn(home: string, cwd: string): string {
  const real = realOrSelf(cwd);
  const [session] = recentSessions(home, 1, real);
  const found = session ?? recentSessions(home, 1, cwd)[0];
  if (!found)
    throw new HedgeError("session_not_found", `no session ran in ${cwd} yet`, {
      exitCode: EXIT.usage,
      hint: "pass --session ID, or --last for the newest session anywhere",
    });
  return found.id;
}

function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
