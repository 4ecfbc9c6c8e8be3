import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { COUNT_TOKENS_PATH, scriptedTokenCount } from "./count-tokens.js";
import { ids } from "./ids.js";
import { modelList } from "./model-list.js";
import { errorBodyFor } from "./provider-errors.js";
import { ReplyQueue } from "./reply-queue.js";
import { endpointOf, lastUserText } from "./request-info.js";
import { scriptedRequest, type Responder } from "./responder.js";
import { requestIdHeaders, sendJson, serveReply } from "./respond.js";
import { parseReply, parseScript, type Endpoint, type Script, type ScriptReply } from "./script.js";

/** A request the upstream received, kept for assertions. */
export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** Parsed JSON body, or undefined when empty or not JSON. */
  body: unknown;
  rawBody: string;
  receivedAt: Date;
  endpoint: Endpoint | undefined;
}

/** Options of `startScriptedUpstream`. */
export interface ScriptedUpstreamOptions {
  script?: Script;
  /**
   * Asked first for every model request: a reply decided from the request (its conversation and
   * the tool results in it), or `undefined` to take the next scripted reply instead.
   */
  respond?: Responder;
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
}

/** A running scripted upstream. */
export interface ScriptedUpstream {
  /** Origin such as `http://127.0.0.1:40123`; OpenAI clients use `${url}/v1` as base URL. */
  readonly url: string;
  readonly port: number;
  /** Every request received, oldest first. */
  readonly requests: readonly RecordedRequest[];
  requestsTo(path: string): RecordedRequest[];
  /** Appends replies to the script. */
  push(...replies: ScriptReply[]): void;
  /** Replies not yet served (a `repeat` reply stays). */
  readonly remaining: number;
  /** Forgets recorded requests and replaces the script (empty when omitted). */
  reset(script?: Script): void;
  /** Stops listening and destroys open connections, streams in flight included. */
  close(): Promise<void>;
}

function flattenHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return headers;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function parseJson(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Starts the scripted upstream on loopback. */
export async function startScriptedUpstream(
  options: ScriptedUpstreamOptions = {},
): Promise<ScriptedUpstream> {
  const initial = parseScript(options.script ?? { replies: [] });
  const queue = new ReplyQueue(initial.replies);
  const knownModels = new Set([...(initial.models ?? []), ...queue.models()]);
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const lifetime = new AbortController();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://upstream.invalid");
    const rawBody = await readBody(req);
    const body = parseJson(rawBody);
    const endpoint = endpointOf(url.pathname);
    const headers = flattenHeaders(req);
    requests.push({
      method: req.method ?? "GET",
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      body,
      rawBody,
      receivedAt: new Date(),
      endpoint,
    });
    const requestId = ids.requestId();

    if (req.method === "HEAD" || (req.method === "GET" && url.pathname === "/")) {
      res.writeHead(200).end();
      return;
    }
    if (req.method === "GET" && url.pathname.replace(/\/+$/, "") === "/v1/models") {
      const anthropic = headers["anthropic-version"] !== undefined;
      sendJson(
        res,
        200,
        modelList([...knownModels], anthropic),
        requestIdHeaders(anthropic ? "messages" : "chat", requestId),
      );
      return;
    }
    if (req.method === "POST" && url.pathname.replace(/\/+$/, "") === COUNT_TOKENS_PATH) {
      if (!isRecord(body) || !Array.isArray(body["messages"])) {
        const message = "scripted upstream: count_tokens needs a JSON body with messages.";
        sendJson(res, 400, errorBodyFor("messages", 400, { message }, requestId));
        return;
      }
      sendJson(res, 200, scriptedTokenCount(body), requestIdHeaders("messages", requestId));
      return;
    }
    if (req.method !== "POST" || endpoint === undefined) {
      const message = `scripted upstream: no route for ${req.method ?? "?"} ${url.pathname}.`;
      sendJson(
        res,
        404,
        errorBodyFor(endpoint, 404, { message, type: "not_found_error" }, requestId),
      );
      return;
    }
    if (!isRecord(body)) {
      const message = "scripted upstream: the request body is not a JSON object.";
      sendJson(res, 400, errorBodyFor(endpoint, 400, { message }, requestId));
      return;
    }

    const model = typeof body["model"] === "string" ? body["model"] : "";
    const facts = { endpoint, model, lastUserText: lastUserText(endpoint, body) };
    const decided = options.respond?.(scriptedRequest(endpoint, model, body));
    const reply = decided === undefined ? queue.take(facts) : parseReply(decided, "respond()");
    if (!reply) {
      const message = queue.explainMiss(facts);
      sendJson(
        res,
        500,
        errorBodyFor(endpoint, 500, { message, type: "scripted_upstream_error" }, requestId),
      );
      return;
    }
    await serveReply(res, reply, { endpoint, body, model, requestId, signal: lifetime.signal });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent || lifetime.signal.aborted) {
        res.destroy();
        return;
      }
      const reason = error instanceof Error ? error.message : String(error);
      sendJson(res, 500, {
        error: { message: `scripted upstream failed: ${reason}`, type: "server_error" },
      });
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    requests,
    requestsTo: (path) => requests.filter((request) => request.path === path),
    push(...replies) {
      const parsed = replies.map((reply, index) => parseReply(reply, `replies[${index}]`));
      queue.push(...parsed);
      for (const name of queue.models()) knownModels.add(name);
    },
    get remaining() {
      return queue.size;
    },
    reset(script) {
      const next = parseScript(script ?? { replies: [] });
      requests.length = 0;
      queue.replace(next.replies);
      knownModels.clear();
      for (const name of [...(next.models ?? []), ...queue.models()]) knownModels.add(name);
    },
    async close() {
      lifetime.abort();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
