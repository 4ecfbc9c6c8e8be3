/** What an upstream error body says, whatever the provider's envelope. */
export interface ErrorFacts {
  /** Lower-cased error type (`rate_limit_error`, `insufficient_quota`, ...). */
  type?: string;
  /** Lower-cased error code. */
  code?: string;
  message?: string;
  /** Codex `usage_limit_reached`: `resets_at` (epoch s) as epoch ms. */
  resetsAt?: number;
  /** Codex `usage_limit_reached`: `resets_in_seconds` as ms. */
  resetsInMs?: number;
}

const MAX_MESSAGE = 160;

/** Type, code and message of an OpenAI, Anthropic, DashScope or plain-text error body. */
export function errorFacts(body: string | object | undefined): ErrorFacts {
  if (body === undefined) return {};
  let value: unknown = body;
  if (typeof body === "string") {
    const text = body.trim();
    if (text === "") return {};
    try {
      value = JSON.parse(text);
    } catch {
      return { message: text };
    }
  }
  if (Array.isArray(value)) value = value[0];
  if (typeof value !== "object" || value === null) {
    return typeof value === "string" ? { message: value } : {};
  }
  const outer = value as Record<string, unknown>;
  const nested = outer["error"];
  if (typeof nested === "string") return { message: nested, ...codeOf(outer) };
  const error =
    typeof nested === "object" && nested !== null ? (nested as Record<string, unknown>) : outer;
  const facts: ErrorFacts = codeOf(error);
  const type = error["type"];
  // Anthropic's envelope is `{type: "error", error: {...}}`; only the inner type is useful.
  if (typeof type === "string" && type !== "error") facts.type = type.toLowerCase();
  const message = error["message"] ?? error["msg"];
  if (typeof message === "string") facts.message = message;
  const resetsAt = error["resets_at"];
  if (typeof resetsAt === "number" && Number.isFinite(resetsAt) && resetsAt > 0)
    facts.resetsAt = resetsAt * 1000;
  const resetsIn = error["resets_in_seconds"];
  if (typeof resetsIn === "number" && Number.isFinite(resetsIn) && resetsIn >= 0)
    facts.resetsInMs = resetsIn * 1000;
  return facts;
}

function codeOf(error: Record<string, unknown>): ErrorFacts {
  const code = error["code"] ?? error["status"];
  if (typeof code === "string" && code !== "") return { code: code.toLowerCase() };
  if (typeof code === "number" && Number.isFinite(code)) return { code: String(code) };
  return {};
}

/** The error's message (else its type or code) on one short line. */
export function describeFacts(facts: ErrorFacts): string {
  const text = (facts.message ?? facts.type ?? facts.code ?? "no error details")
    .replace(/\s+/g, " ")
    .trim();
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE - 1)}…` : text;
}
