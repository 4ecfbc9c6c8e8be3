import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { isHedgeError, GatewayError, type WireFormat } from "@hedge/model-spec";
import { codecFor } from "@hedge/wire";
import { Cancellation } from "../engine/cancellation.js";
import { GatewayAdmin } from "../views/gateway-admin.js";
import { isAdminPath, sendAdminError, serveAdmin } from "./admin-api.js";
import type { GatewayEngine } from "../engine/engine.js";
import { newRequestId } from "../engine/records.js";
import type { Caller } from "../engine/route.js";
import type { GatewayAccount } from "../config-schema.js";
import { DEFAULT_FAILURE_COOLDOWNS } from "../routing/failure-class.js";
import { countTokensBody } from "./count-tokens.js";
import { isDashboardPath, type Dashboard } from "./dashboard/routes.js";
import { Deadlines } from "./deadlines.js";
import { allowOrigin, answerPreflight } from "./cors.js";
import { droppedFieldLogger, type DroppedLogger } from "./dropped-log.js";
import { forward, headerValue } from "./forward.js";
import { keyAllows, type GatewayKeyRecord, type GatewayKeyStore } from "./gateway-keys.js";
import { listModelsBody } from "./models.js";
import type { GatewayMetrics } from "./metrics.js";
import { readJsonBody, readRequestBody, type BodyLimits } from "./read-body.js";
import { isJsonContentType, keylessRefusal, normalizeOrigin, notJson } from "./request-guard.js";
import { shapeError } from "./request-shape.js";
import type { StoreHealth } from "../store/resilient-store.js";

export interface GatewayServerOptions {
  engine: GatewayEngine;
  /** `[gateway.accounts]`: which keys belong to which account. */
  accounts?: Readonly<Record<string, GatewayAccount>>;
  keys: GatewayKeyStore;
  metrics: GatewayMetrics;
  /** When false, requests need no key while no key exists (loopback only; checked at start). */
  requireKey: boolean;
  bodyLimitBytes: number;
  /**
   * `gateway.body_timeout` in ms (default 30 s): a request body must have arrived this long after
   * its headers (408 and the connection closes), and headers this long after they began.
   */
  bodyTimeoutMs?: number;
  /**
   * `gateway.allowed_origins`: browser origins that may call (CORS). Without keys, a request
   * with any other `Origin` is refused; requests without one (CLIs, SDKs) are not.
   */
  allowedOrigins?: readonly string[];
  /** Receives one line per problem worth a log (never a secret). */
  log?: (line: string) => void;
  /** hedge's admin API (`/hedge/v1/*`); default: the engine's, with no profiles to report. */
  admin?: GatewayAdmin;
  /** `/dashboard` (see `createDashboard`); absent: not served. */
  dashboard?: Dashboard;
  /** `/metrics` of every worker added up (`--workers`); default: this process's `metrics`. */
  metricsText?: () => Promise<string>;
}

const ROUTES: Record<string, WireFormat> = {
  "/v1/chat/completions": "chat",
  "/v1/responses": "responses",
  "/v1/messages": "messages",
  "/chat/completions": "chat",
  "/responses": "responses",
  "/messages": "messages",
};

/** Anthropic's token counting endpoint, answered by the gateway itself (see `countTokensBody`). */
const COUNT_TOKENS_PATHS = new Set(["/v1/messages/count_tokens", "/messages/count_tokens"]);

/** What a request handler reads besides the options, computed once per server. */
interface ServerState {
  noteDropped: DroppedLogger;
  body: BodyLimits;
  allowedOrigins: ReadonlySet<string>;
  admin: GatewayAdmin;
}

const DEFAULT_BODY_TIMEOUT_MS = 30_000;

/** The gateway's HTTP face: OpenAI and Anthropic inbound formats, models, health, metrics. */
export function createGatewayServer(options: GatewayServerOptions): Server {
  const bodyTimeoutMs = options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS;
  const state: ServerState = {
    noteDropped: droppedFieldLogger(options.log),
    body: {
      bytes: options.bodyLimitBytes,
      timeoutMs: bodyTimeoutMs,
      deadlines: new Deadlines(bodyTimeoutMs),
    },
    allowedOrigins: new Set(
      (options.allowedOrigins ?? []).flatMap((origin) => normalizeOrigin(origin) ?? []),
    ),
    admin: options.admin ?? new GatewayAdmin(options.engine),
  };
  // Node's own limits are the backstop for what the handler never reads: headers must arrive
  // within the body timeout, a whole request within twice that (a refused request's body too),
  // checked at least every 15 s. Node answers those with a bare 408 and closes the connection.
  const server = createServer(
    {
      keepAliveTimeout: 65_000,
      headersTimeout: bodyTimeoutMs,
      requestTimeout: 2 * bodyTimeoutMs,
      connectionsCheckingInterval: Math.min(15_000, Math.max(100, Math.round(bodyTimeoutMs / 2))),
    },
    (req, res) => {
      handle(options, state, req, res).catch((error: unknown) => {
        options.log?.(
          `gateway: unhandled ${error instanceof Error ? error.message : String(error)}`,
        );
        if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
        res.end();
      });
    },
  );
  return server;
}

async function handle(
  options: GatewayServerOptions,
  state: ServerState,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = req.url ?? "/";
  const query = url.indexOf("?");
  const path = query < 0 ? url : url.slice(0, query);
  const requestId = headerValue(req.headers, "x-request-id") ?? newRequestId();
  const wire = ROUTES[path];

  if (req.method === "HEAD" || (req.method === "GET" && (path === "/" || path === "/healthz"))) {
    res.writeHead(200, { "content-type": "application/json", "x-request-id": requestId });
    res.end(req.method === "HEAD" ? undefined : healthBody(options.engine.storeHealth()));
    return;
  }
  const countTokens = COUNT_TOKENS_PATHS.has(path);
  const errorWire: WireFormat = wire ?? (countTokens || looksAnthropic(req) ? "messages" : "chat");
  const admin = isAdminPath(path);
  const fail = (error: GatewayError): void =>
    admin
      ? sendAdminError(res, error, requestId)
      : sendError(res, errorWire, error, requestId, options.engine);

  const keyless = !options.requireKey && options.keys.count() === 0;
  const origin = req.headers.origin;
  if (keyless) {
    // No key stands between a web page and the gateway: only loopback names, no foreign page.
    const refusal = keylessRefusal(req.headers.host, origin, state.allowedOrigins);
    if (refusal) return refuse(req, res, fail, refusal);
  }
  // Before CORS: the dashboard answers its own origin only, with its own key rules.
  if (options.dashboard && isDashboardPath(path))
    return options.dashboard.serve(req, res, path, options.keys);
  if (origin !== undefined && state.allowedOrigins.has(origin)) {
    if (req.method === "OPTIONS") return answerPreflight(req, res, origin);
    allowOrigin(res, origin);
  }
  if (req.method === "GET" && path === "/metrics") {
    const send = (text: string): void => {
      res.writeHead(200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" });
      res.end(text);
    };
    if (options.metricsText)
      void options.metricsText().then(send, () => send(options.metrics.render()));
    else send(options.metrics.render());
    return;
  }

  const key = keyless ? undefined : authorize(options.keys, req);
  if (key === false) {
    // A key-guessing client pays a new connection per try.
    return refuse(
      req,
      res,
      fail,
      new GatewayError("unauthorized", "missing or invalid gateway key", {
        status: 401,
        type: "authentication_error",
      }),
    );
  }
  if (key && (wire !== undefined || countTokens) && !keyAllows(key, "models")) {
    return refuse(
      req,
      res,
      fail,
      new GatewayError("forbidden", "this gateway key may not call models", {
        status: 403,
        type: "permission_error",
      }),
    );
  }
  if (
    req.method === "POST" &&
    (wire !== undefined || countTokens) &&
    !isJsonContentType(req.headers["content-type"])
  )
    return refuse(req, res, fail, notJson(req.headers["content-type"]));
  if (req.method === "GET" && (path === "/v1/models" || path === "/models")) {
    res.writeHead(200, { "content-type": "application/json", "x-request-id": requestId });
    res.end(JSON.stringify(listModelsBody(options.engine.listModels(), looksAnthropic(req))));
    return;
  }
  if (req.method === "POST" && countTokens) {
    try {
      const counted = countTokensBody((await readJsonBody(req, state.body)).body);
      res.writeHead(200, { "content-type": "application/json", "x-request-id": requestId });
      res.end(JSON.stringify(counted));
    } catch (error) {
      fail(asGatewayError(error));
    }
    return;
  }
  if (admin) {
    const caller = callerOf(options.accounts ?? {}, key, req);
    const search = query < 0 ? "" : url.slice(query + 1);
    return serveAdmin(state.admin, req, res, {
      path,
      query: search,
      caller,
      requestId,
      body: state.body,
    });
  }
  if (req.method !== "POST" || !wire) {
    req.resume();
    fail(
      new GatewayError("not_found", `no route for ${req.method ?? "?"} ${path}`, {
        status: 404,
        type: "not_found_error",
      }),
    );
    return;
  }

  const cancellation = new Cancellation();
  // The conductor starts now: the time budget and latency count from the request's arrival, and
  // a request that fails before routing (its body) is recorded too.
  const exchange = options.engine.begin({ requestId, inboundWire: wire, signal: cancellation });
  if (key) exchange.record.gatewayKey = key.id;
  res.on("close", () => {
    if (!res.writableFinished) cancellation.abort();
  });
  try {
    // A Messages body a Chat provider may receive is scanned with a tape (where each value ends):
    // the Messages → Chat translation writes its body from the bytes (see messages-to-chat.ts).
    const withTape =
      wire === "messages" && options.engine.providers.some((provider) => provider.wire === "chat");
    // Else translated whatever the route, when no provider speaks the client's wire: parsed.
    const translated =
      !withTape && !options.engine.providers.some((provider) => provider.wire === wire);
    const body = await readRequestBody(req, state.body, translated, withTape);
    const malformed = shapeError(wire, body);
    if (malformed) throw malformed;
    const caller = callerOf(options.accounts ?? {}, key, req);
    await forward(
      exchange,
      {
        wire,
        body,
        headers: req.headers,
        signal: cancellation,
        ...(caller ? { caller } : {}),
        onDropped: (dropped, upstreamWire) => state.noteDropped(wire, upstreamWire, dropped),
      },
      res,
    );
  } catch (error) {
    const gatewayError = asGatewayError(error);
    exchange.failed(gatewayError);
    if (!res.headersSent) fail(gatewayError);
    else
      res.end(
        codecFor(wire).encodeErrorFrame(
          gatewayError.status,
          gatewayError.type,
          gatewayError.message,
        ),
      );
    if (gatewayError.status >= 500) options.log?.(`gateway: ${requestId} ${gatewayError.message}`);
  } finally {
    // A client that went away first (a hang-up, its own timeout) is a 499, whatever failed after.
    await exchange.finish();
  }
}

/** Answers a request refused before its body is read, and closes the connection (no draining). */
function refuse(
  req: IncomingMessage,
  res: ServerResponse,
  fail: (error: GatewayError) => void,
  error: GatewayError,
): void {
  res.setHeader("connection", "close");
  fail(error);
  req.resume();
}

/** The caller's key record, or false. */
function authorize(keys: GatewayKeyStore, req: IncomingMessage): GatewayKeyRecord | false {
  const bearer = headerValue(req.headers, "authorization");
  const presented = bearer?.toLowerCase().startsWith("bearer ")
    ? bearer.slice(7).trim()
    : headerValue(req.headers, "x-api-key");
  return keys.verify(presented) ?? false;
}

/**
 * Who is calling: the account owning the key (its narrower policy and BYOK preference) and the
 * caller's own provider keys from `x-hedge-byok: provider=key[, provider=key]` (never stored).
 */
function callerOf(
  accounts: Readonly<Record<string, GatewayAccount>>,
  key: GatewayKeyRecord | undefined,
  req: IncomingMessage,
): Caller | undefined {
  const entry = key
    ? Object.entries(accounts).find(([, account]) => account.keys.includes(key.id))
    : undefined;
  const byokHeader = headerValue(req.headers, "x-hedge-byok");
  if (!entry && byokHeader === undefined) return undefined;
  const byok = new Map<string, string>();
  for (const pair of byokHeader?.split(",") ?? []) {
    const equals = pair.indexOf("=");
    if (equals > 0) byok.set(pair.slice(0, equals).trim(), pair.slice(equals + 1).trim());
  }
  if (!entry && byok.size === 0) return undefined;
  return {
    ...(entry ? { account: entry[0], accountConfig: entry[1] } : {}),
    ...(byok.size > 0 ? { byok } : {}),
  };
}

function looksAnthropic(req: IncomingMessage): boolean {
  return req.headers["anthropic-version"] !== undefined || req.headers["x-api-key"] !== undefined;
}

/**
 * `/healthz`: `ok`, or `degraded` while the Store is unreachable (the gateway still serves, from
 * memory), with since when and why. Still a 200: the gateway answers requests.
 */
function healthBody(store: StoreHealth): string {
  if (!store.degraded) return JSON.stringify({ status: "ok" });
  return JSON.stringify({
    status: "degraded",
    store: {
      kind: store.kind,
      degraded: true,
      since: new Date(store.since ?? 0).toISOString(),
      reason: store.reason,
    },
  });
}

function asGatewayError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  // The Store failing is the gateway's fault, never the caller's: 503, retryable.
  if (isHedgeError(error) && error.code.startsWith("store_")) {
    return new GatewayError(error.code, `gateway state store unavailable: ${error.message}`, {
      status: 503,
      type: "api_error",
    });
  }
  if (isHedgeError(error)) {
    const status = "status" in error && typeof error.status === "number" ? error.status : 400;
    return new GatewayError(error.code, error.message, { status });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new GatewayError("internal", `gateway error: ${message}`, {
    status: 500,
    type: "api_error",
  });
}

function sendError(
  res: ServerResponse,
  wire: WireFormat,
  error: GatewayError,
  requestId: string,
  clock: { now(): number },
): void {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-request-id": requestId,
  };
  const retryAfter = retryAfterSeconds(error, clock);
  if (retryAfter !== undefined) headers["retry-after"] = String(retryAfter);
  // A body that did not arrive in time is not waited for on this connection again.
  if (error.status === 408) headers["connection"] = "close";
  res.writeHead(error.status, headers);
  const message = error.hint ? `${error.message} (${error.hint})` : error.message;
  res.end(
    JSON.stringify(codecFor(wire).encodeError(error.status, error.type, message, error.code)),
  );
}

/**
 * Seconds until the same request may succeed: the earliest reset the gateway knows (a
 * cooldown, a usage window, a declared limit); for a 429 without one, the default cooldown the
 * gateway itself applies to a 429 without a reset.
 */
function retryAfterSeconds(error: GatewayError, clock: { now(): number }): number | undefined {
  if (error.retryAt !== undefined)
    return Math.max(1, Math.ceil((error.retryAt - clock.now()) / 1000));
  return error.status === 429 ? DEFAULT_FAILURE_COOLDOWNS.rateLimitMs / 1000 : undefined;
}
