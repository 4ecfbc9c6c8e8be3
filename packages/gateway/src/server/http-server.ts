import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { isHedgeError } from "@hedge/auth";
import { codecFor } from "../wire/registry.js";
import { Cancellation } from "../engine/cancellation.js";
import { newRecord, newRequestId, type GatewayEngine } from "../engine/engine.js";
import { setClientClosed, setTriedRoute } from "../engine/records.js";
import type { Caller } from "../engine/route.js";
import type { GatewayAccount } from "../config-schema.js";
import { GatewayError } from "../errors.js";
import type { WireFormat } from "../providers/presets.js";
import { isJsonObject } from "../wire/json.js";
import { countTokensBody } from "./count-tokens.js";
import { droppedFieldLogger, type DroppedLogger } from "./dropped-log.js";
import { forward, headerValue, type RequestTrace } from "./forward.js";
import type { GatewayKeyRecord, GatewayKeyStore } from "./gateway-keys.js";
import { listModelsBody } from "./models.js";
import type { GatewayMetrics } from "./metrics.js";

export interface GatewayServerOptions {
  engine: GatewayEngine;
  /** `[gateway.accounts]`: which keys belong to which account. */
  accounts?: Readonly<Record<string, GatewayAccount>>;
  keys: GatewayKeyStore;
  metrics: GatewayMetrics;
  /** When false, requests need no key while no key exists (loopback only; checked at start). */
  requireKey: boolean;
  bodyLimitBytes: number;
  /** Receives one line per problem worth a log (never a secret). */
  log?: (line: string) => void;
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

/** The gateway's HTTP face: OpenAI and Anthropic inbound formats, models, health, metrics. */
export function createGatewayServer(options: GatewayServerOptions): Server {
  const noteDropped = droppedFieldLogger(options.log);
  const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
    handle(options, noteDropped, req, res).catch((error: unknown) => {
      options.log?.(`gateway: unhandled ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end();
    });
  });
  server.headersTimeout = 60_000;
  server.requestTimeout = 0;
  return server;
}

async function handle(
  options: GatewayServerOptions,
  noteDropped: DroppedLogger,
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
    res.end(req.method === "HEAD" ? undefined : JSON.stringify({ status: "ok" }));
    return;
  }
  if (req.method === "GET" && path === "/metrics") {
    res.writeHead(200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" });
    res.end(options.metrics.render());
    return;
  }
  const countTokens = COUNT_TOKENS_PATHS.has(path);
  const errorWire: WireFormat = wire ?? (countTokens || looksAnthropic(req) ? "messages" : "chat");
  const fail = (error: GatewayError): void => sendError(res, errorWire, error, requestId);

  const key = authorize(options, req);
  if (key === false) {
    fail(
      new GatewayError("unauthorized", "missing or invalid gateway key", {
        status: 401,
        type: "authentication_error",
      }),
    );
    req.resume();
    return;
  }
  if (req.method === "GET" && (path === "/v1/models" || path === "/models")) {
    res.writeHead(200, { "content-type": "application/json", "x-request-id": requestId });
    res.end(JSON.stringify(listModelsBody(options.engine.listModels(), looksAnthropic(req))));
    return;
  }
  if (req.method === "POST" && countTokens) {
    try {
      const counted = countTokensBody((await readJsonBody(req, options.bodyLimitBytes)).body);
      res.writeHead(200, { "content-type": "application/json", "x-request-id": requestId });
      res.end(JSON.stringify(counted));
    } catch (error) {
      fail(asGatewayError(error));
    }
    return;
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

  const started = performance.now();
  const startedAt = options.engine.now();
  const record = newRecord(requestId, wire, "", false);
  const routed: RequestTrace = { log: [] };
  const cancellation = new Cancellation();
  res.on("close", () => {
    if (!res.writableFinished) cancellation.abort();
  });
  try {
    const { body, raw } = await readJsonBody(req, options.bodyLimitBytes);
    const caller = callerOf(options.accounts ?? {}, key, req);
    await forward(
      options.engine,
      {
        wire,
        body,
        raw,
        headers: req.headers,
        requestId,
        signal: cancellation,
        started,
        startedAt,
        ...(caller ? { caller } : {}),
        onDropped: (dropped, upstreamWire) => noteDropped(wire, upstreamWire, dropped),
      },
      res,
      record,
      routed,
    );
  } catch (error) {
    const gatewayError = asGatewayError(error);
    setTriedRoute(record, routed.plan, routed.log);
    record.status = gatewayError.status;
    if (record.outcome === "ok") record.outcome = "gateway_error";
    record.errorType = gatewayError.type;
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
    // The client went away first (a hang-up, its own timeout): 499, whatever failed after.
    if (cancellation.aborted) setClientClosed(record);
    record.latencyMs = performance.now() - started;
    record.attempts = routed.log.length;
    options.engine.observe(record, routed.plan, routed.log);
  }
}

/** The caller's key record, `undefined` when no key is needed (loopback, no keys), or false. */
function authorize(
  options: GatewayServerOptions,
  req: IncomingMessage,
): GatewayKeyRecord | undefined | false {
  if (!options.requireKey && options.keys.count() === 0) return undefined;
  const bearer = headerValue(req.headers, "authorization");
  const presented = bearer?.toLowerCase().startsWith("bearer ")
    ? bearer.slice(7).trim()
    : headerValue(req.headers, "x-api-key");
  return options.keys.verify(presented) ?? false;
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

async function readJsonBody(
  req: IncomingMessage,
  limit: number,
): Promise<{ body: Record<string, unknown>; raw: Buffer }> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limit) {
    req.resume();
    throw tooLarge(limit);
  }
  const raw = await readBody(req, limit);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString("utf8"));
  } catch {
    throw new GatewayError("invalid_json", "the request body is not valid JSON", { status: 400 });
  }
  if (!isJsonObject(parsed))
    throw new GatewayError("invalid_json", "the request body must be a JSON object", {
      status: 400,
    });
  return { body: parsed, raw };
}

/** The request body, failing past `limit` bytes (with events: no async iterator per request). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        req.off("data", onData);
        req.resume();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.once("end", () =>
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)),
    );
    req.once("error", reject);
  });
}

function tooLarge(limit: number): GatewayError {
  return new GatewayError(
    "body_too_large",
    `the request body exceeds ${Math.round(limit / 2 ** 20)} MiB`,
    {
      status: 413,
      type: "request_too_large",
    },
  );
}

function asGatewayError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
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
): void {
  res.writeHead(error.status, { "content-type": "application/json", "x-request-id": requestId });
  const message = error.hint ? `${error.message} (${error.hint})` : error.message;
  res.end(
    JSON.stringify(codecFor(wire).encodeError(error.status, error.type, message, error.code)),
  );
}
