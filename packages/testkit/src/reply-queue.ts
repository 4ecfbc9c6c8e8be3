import type { Endpoint, ScriptReply } from "./script.js";

/** What a reply's `match` is compared against. */
export interface RequestFacts {
  endpoint: Endpoint;
  model: string;
  lastUserText: string;
}

function matches(reply: ScriptReply, facts: RequestFacts): boolean {
  const match = reply.match;
  if (!match) return true;
  if (match.model !== undefined && match.model !== facts.model) return false;
  if (match.endpoint !== undefined && match.endpoint !== facts.endpoint) return false;
  if (
    match.lastUserMessageIncludes !== undefined &&
    !facts.lastUserText.includes(match.lastUserMessageIncludes)
  ) {
    return false;
  }
  return true;
}

function describe(reply: ScriptReply): string {
  const match = reply.match;
  if (!match) return "any request";
  const conditions = [
    match.model === undefined ? undefined : `model=${match.model}`,
    match.endpoint === undefined ? undefined : `endpoint=${match.endpoint}`,
    match.lastUserMessageIncludes === undefined
      ? undefined
      : `user text containing ${JSON.stringify(match.lastUserMessageIncludes)}`,
  ].filter((condition) => condition !== undefined);
  return conditions.join(", ");
}

/** Replies in script order; each request takes the first that matches, used up unless `repeat`. */
export class ReplyQueue {
  #replies: ScriptReply[] = [];

  constructor(replies: readonly ScriptReply[] = []) {
    this.#replies = [...replies];
  }

  push(...replies: ScriptReply[]): void {
    this.#replies.push(...replies);
  }

  replace(replies: readonly ScriptReply[]): void {
    this.#replies = [...replies];
  }

  get size(): number {
    return this.#replies.length;
  }

  /** All model names the replies mention. */
  models(): string[] {
    return this.#replies
      .flatMap((reply) => [reply.match?.model, reply.model])
      .filter((name) => name !== undefined);
  }

  take(facts: RequestFacts): ScriptReply | undefined {
    const index = this.#replies.findIndex((reply) => matches(reply, facts));
    if (index < 0) return undefined;
    const reply = this.#replies[index];
    if (reply && reply.repeat !== true) this.#replies.splice(index, 1);
    return reply;
  }

  /** Why nothing was served, for the 500 the client gets. */
  explainMiss(facts: RequestFacts): string {
    const request = `${facts.endpoint} request for model ${JSON.stringify(facts.model)}`;
    if (this.#replies.length === 0)
      return `scripted upstream: the script ran out of replies (${request}).`;
    const waiting = this.#replies.map(describe).join("; ");
    return `scripted upstream: no scripted reply matches this ${request}; waiting replies expect: ${waiting}.`;
  }
}
