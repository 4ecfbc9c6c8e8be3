import type { ScriptErrorSpec, ScriptMatch, ScriptReply } from "./script.js";

/** A reply that fails with `status`; the body takes the shape of the provider being called. */
export function errorReply(
  status: number,
  error: ScriptErrorSpec = { message: `Scripted error with status ${status}.` },
  headers: Record<string, string> = {},
): ScriptReply {
  return { status, error, headers };
}

/** A 429 with `retry-after`, plus any rate-limit headers (see rate-limit-headers.ts). */
export function rateLimitedReply(options: {
  retryAfterSeconds: number;
  message?: string;
  headers?: Record<string, string>;
  match?: ScriptMatch;
}): ScriptReply {
  const reply: ScriptReply = {
    status: 429,
    error: { message: options.message ?? "Rate limit reached. Please try again later." },
    headers: { "retry-after": String(options.retryAfterSeconds), ...options.headers },
  };
  if (options.match) reply.match = options.match;
  return reply;
}
