import {
  ADMIN_API_HEADER,
  ADMIN_API_PREFIX,
  HedgeError,
  adminErrorBodySchema,
  type AdminErrorBody,
} from "@hedge/model-spec";

/** A model-spec view schema, as far as the client uses it. */
export interface ViewSchema<T> {
  safeParse(
    value: unknown,
  ):
    | { success: true; data: T }
    | { success: false; error: { issues: readonly { path: PropertyKey[]; message: string }[] } };
}

/** Where hedge's admin API is and how to call it. */
export interface AdminEndpoint {
  /** The gateway's base URL as the user gave it (shown in errors). */
  gateway: string;
  key: string | undefined;
  /** The variable the key is read from, named in hints (`client.gateway_key_env`). */
  keyEnv: string;
  timeoutMs: number;
}

/** The longest stretch of a foreign answer quoted in an error. */
const QUOTE_LIMIT = 200;

/**
 * Calls one endpoint of hedge's admin API (`/hedge/v1/*`) with the gateway key and parses the
 * answer with its model-spec schema; every failure is one HedgeError with the next step. `schema`
 * undefined: the endpoint answers no body (204).
 */
export async function callAdmin<T>(
  endpoint: AdminEndpoint,
  request: { method: "GET" | "POST"; path: string; body?: unknown },
  schema: ViewSchema<T> | undefined,
): Promise<T | undefined> {
  const url = adminUrl(endpoint.gateway, request.path);
  const headers: Record<string, string> = { accept: "application/json" };
  if (endpoint.key) headers["authorization"] = `Bearer ${endpoint.key}`;
  if (request.body !== undefined) headers["content-type"] = "application/json";
  let response: Response;
  try {
    response = await fetch(url, {
      method: request.method,
      headers,
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      signal: AbortSignal.timeout(endpoint.timeoutMs),
    });
  } catch (error) {
    throw new HedgeError(
      "gateway_unreachable",
      `cannot reach the gateway at ${endpoint.gateway}: ${causeOf(error)}`,
      { hint: "start it with 'hedge gateway serve', or check --gateway / client.gateway_url" },
    );
  }
  const text = await response.text();
  const where = `${request.method} ${ADMIN_API_PREFIX}${request.path}`;
  if (!response.ok) {
    const fromHedge = response.headers.has(ADMIN_API_HEADER);
    throw answerError(endpoint, where, response.status, text, fromHedge);
  }
  if (!schema) return undefined;
  let parsed: ReturnType<ViewSchema<T>["safeParse"]> | undefined;
  try {
    parsed = schema.safeParse(JSON.parse(text));
  } catch {
    parsed = undefined;
  }
  if (parsed?.success) return printable(parsed.data);
  const issue = parsed?.success === false ? parsed.error.issues[0] : undefined;
  throw new HedgeError(
    "gateway_answer_invalid",
    `the gateway at ${endpoint.gateway} answered ${where} with ${issue ? `an unexpected shape (${issue.path.map(String).join(".") || "body"}: ${issue.message})` : "something that is not JSON"}`,
    { hint: "the gateway may run another hedge version: run the same version on both sides" },
  );
}

/** `http://host:4141/v1` -> `http://host:4141/hedge/v1/PATH` (any path prefix is kept). */
export function adminUrl(gateway: string, path: string): string {
  const base = gateway.replace(/\/+$/, "").replace(/\/v\d+$/, "");
  return `${base}${ADMIN_API_PREFIX}${path}`;
}

function answerError(
  endpoint: AdminEndpoint,
  where: string,
  status: number,
  text: string,
  fromHedge: boolean,
): HedgeError {
  if (status === 404 && !fromHedge) {
    return new HedgeError(
      "admin_api_missing",
      `this gateway does not serve hedge's admin API; ${endpoint.gateway} answered ${where} with 404`,
      {
        hint: "point --gateway (client.gateway_url) at a 'hedge gateway serve' of this hedge version, or leave it out to read this machine's state",
      },
    );
  }
  const body = hedgeErrorOf(text);
  if (status === 401) {
    return new HedgeError(
      "gateway_unauthorized",
      `the gateway at ${endpoint.gateway} refused ${endpoint.key ? "the gateway key" : "a call without a gateway key"} (401)`,
      {
        hint: `set ${endpoint.keyEnv} to a key from 'hedge gateway key create' on the gateway's machine`,
      },
    );
  }
  if (body) {
    // hedge's own error, as this machine's gateway would have said it.
    return new HedgeError(printable(body.code), printable(body.message), {
      ...(body.hint === undefined ? {} : { hint: printable(body.hint) }),
    });
  }
  const quoted = printable(text.length > QUOTE_LIMIT ? `${text.slice(0, QUOTE_LIMIT)}…` : text);
  return new HedgeError(
    "gateway_error",
    `the gateway at ${endpoint.gateway} answered ${where} with ${status}${quoted ? `: ${quoted}` : ""}`,
  );
}

/** hedge's `{error:{code,message,hint}}`, or undefined for anything else. */
function hedgeErrorOf(text: string): AdminErrorBody["error"] | undefined {
  try {
    const parsed = adminErrorBodySchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data.error : undefined;
  } catch {
    return undefined;
  }
}

function causeOf(error: unknown): string {
  if (error instanceof Error && error.name === "TimeoutError") return "no answer in time";
  const cause = error instanceof Error ? (error.cause ?? error) : error;
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code;
    return code ? `${code} ${cause.message}`.trim() : cause.message;
  }
  return String(cause);
}

/** Control characters (terminal escapes among them) in what a gateway sent: a space each. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * `value` with every string freed of control characters: the gateway is a network peer, and
 * what it answers is printed to the user's terminal.
 */
function printable<T>(value: T): T {
  if (typeof value === "string") return value.replace(CONTROL, " ") as T;
  if (Array.isArray(value)) return value.map(printable) as T;
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, field]) => [key, printable(field)]),
    ) as T;
  }
  return value;
}
