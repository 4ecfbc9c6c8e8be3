import type { IncomingHttpHeaders, ServerResponse } from "node:http";
import {
  ResponseCollector,
  type CanonicalRequest,
  GatewayError,
  type WireFormat,
} from "@hedge/model-spec";
import { codecFor, type JsonObject, SseParser } from "@hedge/wire";
import type { AttemptLog } from "../engine/attempt-runner.js";
import type { CancelSignal } from "../engine/cancellation.js";
import { setRoute, tryUpstream, type GatewayEngine, type RunContext } from "../engine/engine.js";
import type { RequestRecord } from "../engine/observer.js";
import { setClientClosed } from "../engine/records.js";
import type { Attempt, Caller, RouteInput, RoutePlan } from "../engine/route.js";
import { callUpstream, type UpstreamResponse } from "../engine/upstream.js";
import { UsageTap } from "../engine/usage-tap.js";
import { isRateLimitHeader } from "../routing/header-values.js";
import { streamThrough, waitForDrain } from "./sse-pass-through.js";
import { estimateBodyTokens } from "../usage/estimate.js";

export interface InboundRequest {
  wire: WireFormat;
  body: JsonObject;
  /** The body as received: passed through with only the model rewritten, when possible. */
  raw?: Buffer;
  headers: IncomingHttpHeaders;
  requestId: string;
  signal: CancelSignal;
  /** performance.now() when the request arrived. */
  started: number;
  /** Epoch ms (engine clock) when the request arrived: the time budget starts here. */
  startedAt: number;
  caller?: Caller;
  /** Told which inbound fields a translation could not map (never fatal, worth a log). */
  onDropped?: (dropped: readonly string[], upstreamWire: WireFormat) => void;
}

/** Upstream headers a client may use (rate limits), copied on every route. */
function copied(name: string): boolean {
  return isRateLimitHeader(name) || name === "retry-after";
}

/** What routing did for a request, kept for the audit log whether it succeeded or threw. */
export interface RequestTrace {
  plan?: RoutePlan;
  log: AttemptLog[];
}

/**
 * Serves one inbound request: route, then per attempt either stream the upstream bytes through
 * untouched (same wire: only usage is tapped) or translate through the canonical types.
 * Nothing is retried once a byte of the response went to the client. `trace` gets the plan and
 * every attempt as they happen, so a request that fails still records them.
 */
export async function forward(
  engine: GatewayEngine,
  inbound: InboundRequest,
  res: ServerResponse,
  record: RequestRecord,
  trace: RequestTrace,
): Promise<void> {
  const inboundCodec = codecFor(inbound.wire);
  const model = typeof inbound.body["model"] === "string" ? inbound.body["model"] : "";
  const log = trace.log;
  if (!model)
    throw new GatewayError("invalid_request", "the request has no model", { status: 400 });
  record.model = model;
  record.stream = inbound.body["stream"] === true;
  const role = headerValue(inbound.headers, "x-hedge-role");
  const session = headerValue(inbound.headers, "x-hedge-session");
  const estimatedTokens = engine.usage
    ? estimateBodyTokens(
        Number(inbound.headers["content-length"] ?? 0),
        inbound.body["max_tokens"] ?? inbound.body["max_output_tokens"],
      )
    : undefined;
  if (estimatedTokens !== undefined) record.estimatedTokens = estimatedTokens;
  // Built field by field (no spreads): this runs for every request.
  const input: RouteInput = { model };
  const context: RunContext = { started: inbound.startedAt, signal: inbound.signal, log };
  if (role) input.role = role;
  if (session) input.session = context.session = session;
  if (inbound.caller) input.caller = inbound.caller;
  if (estimatedTokens !== undefined)
    input.estimatedTokens = context.estimatedTokens = estimatedTokens;
  const plan = await engine.route(input);
  trace.plan = plan;
  let canonical: CanonicalRequest | undefined;
  const outcome = await engine.run<UpstreamResponse>(plan, context, (attempt, limits) => {
    const passThrough = attempt.provider.wire === inbound.wire;
    let body: string | Buffer;
    if (passThrough) {
      body =
        (inbound.raw && rewriteModel(inbound.raw, model, attempt.upstreamModel)) ??
        JSON.stringify({ ...inbound.body, model: attempt.upstreamModel });
    } else {
      if (canonical === undefined) {
        canonical = inboundCodec.decodeRequest(inbound.body);
        if (canonical.dropped.length > 0)
          inbound.onDropped?.(canonical.dropped, attempt.provider.wire);
      }
      body = JSON.stringify(
        codecFor(attempt.provider.wire).encodeRequest(canonical, attempt.upstreamModel),
      );
    }
    return tryUpstream(() =>
      callUpstream({
        attempt,
        body,
        stream: record.stream,
        dispatcher: engine.dispatcher,
        signal: inbound.signal,
        headersTimeoutMs: limits.headersTimeoutMs,
        ...(passThrough ? { inboundHeaders: inbound.headers } : {}),
      }),
    );
  });
  const attempt = outcome.attempt;
  const passThrough = attempt.provider.wire === inbound.wire;
  setRoute(record, attempt);
  if (outcome.kind === "caller_fault") {
    // The caller's own fault: answered with the upstream's error, in the caller's format.
    record.status = outcome.status;
    record.outcome = "upstream_error";
    const headers = outcome.value
      ? routeHeaders(attempt, outcome.value, inbound.requestId)
      : { "x-request-id": inbound.requestId, "x-hedge-route": routeHeader(attempt) };
    writeHead(res, outcome.status, headers, "application/json");
    if (passThrough) {
      res.end(outcome.body);
    } else {
      const failure = codecFor(attempt.provider.wire).decodeError(outcome.status, outcome.body);
      record.errorType = failure.type;
      res.end(
        JSON.stringify(inboundCodec.encodeError(outcome.status, failure.type, failure.message)),
      );
    }
    return;
  }
  const response = outcome.value;
  record.ttfbMs = performance.now() - inbound.started;
  record.status = response.statusCode;
  record.passThrough = passThrough;
  const headers = routeHeaders(attempt, response, inbound.requestId);
  if (outcome.switched) {
    headers["x-hedge-switched-from"] = outcome.switched.fromProfile ?? outcome.switched.from;
  }
  try {
    if (passThrough)
      await pipeThrough(response, res, headers, record, inboundCodec, attempt.provider.id);
    else if (record.stream)
      await translateStream(
        attempt,
        response,
        res,
        headers,
        record,
        canonical,
        inbound.wire,
        model,
      );
    else await translateJson(attempt, response, res, headers, record, inbound.wire, model);
  } catch (error) {
    if (!inbound.signal.aborted) throw error;
  }
  // The client hung up (or timed out) mid-answer: its doing, never the provider's failure.
  if (inbound.signal.aborted) setClientClosed(record);
  else if (record.outcome === "stream_error")
    await engine.streamFailed(attempt, record.errorType ?? "error");
}

async function pipeThrough(
  response: UpstreamResponse,
  res: ServerResponse,
  headers: Record<string, string>,
  record: RequestRecord,
  codec: ReturnType<typeof codecFor>,
  provider: string,
): Promise<void> {
  const contentType = headerValue(response.headers, "content-type") ?? "application/json";
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
  await streamThrough(response, res, record, codec, provider);
}

async function translateStream(
  attempt: Attempt,
  response: UpstreamResponse,
  res: ServerResponse,
  headers: Record<string, string>,
  record: RequestRecord,
  canonical: CanonicalRequest | undefined,
  inboundWire: WireFormat,
  model: string,
): Promise<void> {
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
          else if (event.type === "error") {
            record.outcome = "stream_error";
            record.errorType = event.error.type;
          }
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
      if (event.type === "error") {
        record.outcome = "stream_error";
        record.errorType = event.error.type;
      }
      tail += encoder.encode(event);
    }
    res.end(tail + encoder.end());
  } catch (error) {
    // Bytes already reached the client: end the stream with an error frame, never retry.
    record.outcome = "stream_error";
    record.errorType = "api_error";
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
  record: RequestRecord,
  inboundWire: WireFormat,
  model: string,
): Promise<void> {
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

/**
 * The raw body with its `"model"` value replaced, without parsing and re-serialising what may be
 * hundreds of kilobytes of conversation: only when the model appears exactly once in the common
 * `"model":"…"` spelling; otherwise undefined (the caller re-serialises).
 */
export function rewriteModel(raw: Buffer, from: string, to: string): Buffer | undefined {
  if (from === to) return raw;
  for (const separator of [":", ": "]) {
    const needle = modelNeedle(separator, from);
    const at = raw.indexOf(needle);
    if (at < 0) continue;
    if (raw.indexOf(needle, at + needle.length) >= 0) return undefined;
    // A nested "model" key (e.g. in metadata) would also match: require it at the top level by
    // checking that the same key does not appear anywhere else in any spelling.
    if (raw.indexOf(MODEL_KEY, at + 1) >= 0 || raw.indexOf(MODEL_KEY) !== at) {
      return undefined;
    }
    return Buffer.concat([
      raw.subarray(0, at),
      modelNeedle(separator, to),
      raw.subarray(at + needle.length),
    ]);
  }
  return undefined;
}

const MODEL_KEY = Buffer.from('"model"');

/** `"model":"NAME"` as bytes, built once per separator and model name. */
function modelNeedle(separator: string, model: string): Buffer {
  const key = `${separator}${model}`;
  let needle = needles.get(key);
  if (needle === undefined) {
    needle = Buffer.from(`"model"${separator}${JSON.stringify(model)}`);
    if (needles.size >= 10_000) needles.clear();
    needles.set(key, needle);
  }
  return needle;
}

const needles = new Map<string, Buffer>();
