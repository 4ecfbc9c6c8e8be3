import type { IncomingHttpHeaders, ServerResponse } from "node:http";
import {
  ResponseCollector,
  type CanonicalRequest,
  GatewayError,
  type WireFormat,
} from "@hedge/model-spec";
import { codecFor, SseParser } from "@hedge/wire";
import type { CancelSignal } from "../engine/cancellation.js";
import type { Exchange, ModelCall } from "../engine/exchange.js";
import type { Attempt, Caller } from "../engine/route.js";
import type { UpstreamResponse } from "../engine/upstream.js";
import { UsageTap } from "../engine/usage-tap.js";
import { isRateLimitHeader } from "../routing/header-values.js";
import { streamThrough, waitForDrain } from "./sse-pass-through.js";
import { estimateBodyTokens } from "../usage/estimate.js";
import type { RequestBody } from "./request-body.js";
import { messagesToChat } from "./messages-to-chat.js";

export interface InboundRequest {
  wire: WireFormat;
  /** The body as received, checked as JSON but parsed only where needed (see `RequestBody`). */
  body: RequestBody;
  headers: IncomingHttpHeaders;
  signal: CancelSignal;
  caller?: Caller;
  /** Told which inbound fields a translation could not map (never fatal, worth a log). */
  onDropped?: (dropped: readonly string[], upstreamWire: WireFormat) => void;
}

/** Upstream headers a client may use (rate limits), copied on every route. */
function copied(name: string): boolean {
  return isRateLimitHeader(name) || name === "retry-after";
}

/**
 * Serves one inbound request through the engine's conductor (`exchange`: routing, attempts,
 * caller faults, the record), then answers the client: the upstream bytes streamed through
 * untouched when the route speaks the client's wire (only usage and the stream's health are
 * tapped), else translated through the canonical types. Nothing is retried once a byte of the
 * response went to the client. The caller finishes the exchange.
 */
export async function forward(
  exchange: Exchange,
  inbound: InboundRequest,
  res: ServerResponse,
): Promise<void> {
  const inboundCodec = codecFor(inbound.wire);
  const body = inbound.body;
  const model = body.string("model") ?? "";
  if (!model)
    throw new GatewayError("invalid_request", "the request has no model", { status: 400 });
  const requestId = exchange.record.requestId;
  let canonical: CanonicalRequest | undefined;
  let droppedNoted = false;
  // Built field by field (no spreads): this runs for every request.
  const call: ModelCall = {
    model,
    stream: body.kind("stream") === "boolean" && body.value("stream") === true,
    estimateTokens: () =>
      estimateBodyTokens(
        Number(inbound.headers["content-length"] ?? 0),
        body.value("max_tokens") ?? body.value("max_output_tokens"),
      ),
    bodyFor: (attempt) => {
      // Pass-through: the bytes as received, only the model's value replaced.
      if (attempt.provider.wire === inbound.wire) return body.withModel(attempt.upstreamModel);
      // Messages in, Chat out: written from the inbound bytes when the fast path maps it all.
      const members = body.spans;
      const tape = body.tape;
      if (
        canonical === undefined &&
        members !== undefined &&
        tape !== undefined &&
        inbound.wire === "messages" &&
        attempt.provider.wire === "chat"
      ) {
        const fast = messagesToChat(body.raw, { members, tape }, attempt.upstreamModel);
        if (fast !== undefined) {
          if (fast.dropped.length > 0 && !droppedNoted)
            inbound.onDropped?.(fast.dropped, attempt.provider.wire);
          droppedNoted = true;
          return fast.body;
        }
      }
      if (canonical === undefined) {
        canonical = inboundCodec.decodeRequest(body.object);
        if (canonical.dropped.length > 0 && !droppedNoted)
          inbound.onDropped?.(canonical.dropped, attempt.provider.wire);
      }
      return JSON.stringify(
        codecFor(attempt.provider.wire).encodeRequest(canonical, attempt.upstreamModel),
      );
    },
    inbound: { wire: inbound.wire, headers: inbound.headers },
  };
  const role = headerValue(inbound.headers, "x-hedge-role");
  const session = headerValue(inbound.headers, "x-hedge-session");
  if (role) call.role = role;
  if (session) call.session = session;
  if (inbound.caller) call.caller = inbound.caller;
  const opened = await exchange.open(call);
  const attempt = opened.attempt;
  const passThrough = attempt.provider.wire === inbound.wire;
  if (opened.kind === "caller_fault") {
    // The caller's own fault: answered with the upstream's error, in the caller's format.
    const headers = opened.response
      ? routeHeaders(attempt, opened.response, requestId)
      : { "x-request-id": requestId, "x-hedge-route": routeHeader(attempt) };
    writeHead(res, opened.status, headers, "application/json");
    res.end(
      passThrough
        ? opened.body
        : JSON.stringify(
            inboundCodec.encodeError(opened.status, opened.error.type, opened.error.message),
          ),
    );
    return;
  }
  const response = opened.response;
  const record = exchange.record;
  record.ttfbMs = performance.now() - exchange.started;
  const headers = routeHeaders(attempt, response, requestId);
  if (opened.switched) {
    headers["x-hedge-switched-from"] = opened.switched.fromProfile ?? opened.switched.from;
  }
  try {
    if (passThrough)
      await pipeThrough(response, res, headers, exchange, inboundCodec, attempt.provider.id);
    else if (call.stream)
      await translateStream(
        attempt,
        response,
        res,
        headers,
        exchange,
        canonical,
        inbound.wire,
        model,
      );
    else await translateJson(attempt, response, res, headers, exchange, inbound.wire, model);
  } catch (error) {
    // The client hung up (or timed out) mid-answer: its doing; the exchange records it so.
    if (!inbound.signal.aborted) throw error;
  }
}

async function pipeThrough(
  response: UpstreamResponse,
  res: ServerResponse,
  headers: Record<string, string>,
  exchange: Exchange,
  codec: ReturnType<typeof codecFor>,
  provider: string,
): Promise<void> {
  const contentType = headerValue(response.headers, "content-type") ?? "application/json";
  const record = exchange.record;
  if (!record.stream) {
    const tap = new UsageTap(codec, false);
    // A JSON body is small: gather it and send headers and body in one write.
    const body = await response.body.bytes();
    headers["content-length"] = String(body.length);
    writeHead(res, response.statusCode, headers, contentType);
    res.end(body);
    tap.push(body);
    record.usage = tap.end();
    record.toolCalls = tap.toolCalls;
    return;
  }
  writeHead(res, response.statusCode, headers, contentType);
  await streamThrough(response, res, exchange, codec, provider);
}

async function translateStream(
  attempt: Attempt,
  response: UpstreamResponse,
  res: ServerResponse,
  headers: Record<string, string>,
  exchange: Exchange,
  canonical: CanonicalRequest | undefined,
  inboundWire: WireFormat,
  model: string,
): Promise<void> {
  const record = exchange.record;
  writeHead(res, 200, headers, "text/event-stream; charset=utf-8");
  const decoder = codecFor(attempt.provider.wire).createStreamDecoder(attempt.provider.id);
  const encoder = codecFor(inboundWire).createStreamEncoder(canonical, model);
  const parser = new SseParser();
  const emit = async (messages: ReturnType<SseParser["push"]>): Promise<void> => {
    let out = "";
    for (const message of messages) {
      for (const event of decoder.push(message)) {
        if (event.type === "response.start") out += encoder.encode({ ...event, model });
        else {
          if (event.type === "usage") record.usage = event.usage;
          else if (event.type === "tool_call.start") record.toolCalls = (record.toolCalls ?? 0) + 1;
          else if (event.type === "error") exchange.failStream(event.error.type);
          out += encoder.encode(event);
        }
      }
    }
    if (out && !res.write(out)) await waitForDrain(res);
  };
  try {
    for await (const chunk of response.body) {
      await emit(parser.push(chunk));
      // The stream failed (an error event, a malformed event): nothing after it is read.
      if (record.outcome === "stream_error") break;
    }
    await emit(parser.end());
    let tail = "";
    for (const event of decoder.end()) {
      // A stream cut before its terminal event failed, as an error event from upstream does.
      if (event.type === "error") exchange.failStream(event.error.type);
      tail += encoder.encode(event);
    }
    res.end(tail + encoder.end());
  } catch (error) {
    // Bytes already reached the client: end the stream with an error frame, never retry.
    exchange.failStream("api_error");
    const message = error instanceof Error ? error.message : String(error);
    res.end(
      codecFor(inboundWire).encodeErrorFrame(
        502,
        "api_error",
        `${attempt.provider.id} stream failed: ${message}`,
      ),
    );
  }
}

async function translateJson(
  attempt: Attempt,
  response: UpstreamResponse,
  res: ServerResponse,
  headers: Record<string, string>,
  exchange: Exchange,
  inboundWire: WireFormat,
  model: string,
): Promise<void> {
  const record = exchange.record;
  const json: unknown = await response.body.json();
  const collector = new ResponseCollector();
  for (const event of codecFor(attempt.provider.wire).decodeResponse(json)) collector.push(event);
  const collected = collector.response();
  record.usage = collected.usage;
  record.toolCalls = collected.tool_calls.length;
  writeHead(res, 200, headers, "application/json");
  res.end(JSON.stringify(codecFor(inboundWire).encodeResponse(collected, model)));
}

function routeHeaders(
  attempt: Attempt,
  response: UpstreamResponse,
  requestId: string,
): Record<string, string> {
  const headers: Record<string, string> = {
    "x-request-id": requestId,
    "x-hedge-route": routeHeader(attempt),
  };
  for (const name in response.headers) {
    const value = response.headers[name];
    if (typeof value === "string" && copied(name)) headers[name] = value;
  }
  return headers;
}

/** `provider=anthropic; model=claude-sonnet-4-5; profile=work` — never a secret. */
export function routeHeader(attempt: Attempt): string {
  let header = routeHeaderText.get(attempt);
  if (header === undefined) {
    const profile = attempt.credential.profile ? `; profile=${attempt.credential.profile}` : "";
    header = `provider=${attempt.provider.id}; model=${attempt.upstreamModel}${profile}`;
    routeHeaderText.set(attempt, header);
  }
  return header;
}

/** Attempts are reused across requests (candidates are cached): their header with them. */
const routeHeaderText = new WeakMap<Attempt, string>();

function writeHead(
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  contentType: string,
): void {
  headers["content-type"] = contentType;
  headers["cache-control"] = "no-cache";
  res.writeHead(status, headers);
}

export function headerValue(
  headers: IncomingHttpHeaders | Record<string, unknown>,
  name: string,
): string | undefined {
  const value = headers[name];
  if (typeof value === "string") return value;
  if (Array.isArray(value) && typeof value[0] === "string") return value[0];
  return undefined;
}
