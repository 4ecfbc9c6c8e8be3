import type { ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { renderChat } from "./formats/chat.js";
import { renderMessages } from "./formats/messages.js";
import type { Rendering } from "./formats/rendering.js";
import { renderResponses } from "./formats/responses.js";
import { planReply, type ReplyPlan } from "./plan.js";
import { errorBodyFor } from "./provider-errors.js";
import { promptText } from "./request-info.js";
import type { Endpoint, ScriptReply } from "./script.js";
import { withMalformedFrame, writeSseStream } from "./sse.js";

/** What serving one reply needs to know about its request. */
export interface ReplyContext {
  endpoint: Endpoint;
  body: Record<string, unknown>;
  model: string;
  requestId: string;
  /** Aborted when the upstream closes, so no delay outlives it. */
  signal: AbortSignal;
}

/** The request-id header each provider sets. */
export function requestIdHeaders(
  endpoint: Endpoint | undefined,
  requestId: string,
): Record<string, string> {
  return endpoint === "messages" ? { "request-id": requestId } : { "x-request-id": requestId };
}

/** Sends a JSON (or verbatim string) body with headers. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

function render(endpoint: Endpoint, plan: ReplyPlan, body: Record<string, unknown>): Rendering {
  switch (endpoint) {
    case "chat":
      return renderChat(plan, body);
    case "responses":
      return renderResponses(plan, body);
    case "messages":
      return renderMessages(plan);
  }
}

/** Serves one scripted reply: error status, JSON body or SSE stream, with its faults. */
export async function serveReply(
  res: ServerResponse,
  reply: ScriptReply,
  context: ReplyContext,
): Promise<void> {
  const headers = { ...requestIdHeaders(context.endpoint, context.requestId), ...reply.headers };
  const streaming = context.body["stream"] === true;
  if (reply.latencyMs !== undefined && reply.latencyMs > 0) {
    await sleep(reply.latencyMs, undefined, { signal: context.signal });
  }
  if (!streaming && reply.disconnectAfterChunks !== undefined) {
    res.destroy();
    return;
  }

  const status = reply.status ?? 200;
  if (reply.body !== undefined) {
    sendJson(res, status, reply.body, headers);
    return;
  }
  if (status >= 400) {
    sendJson(
      res,
      status,
      errorBodyFor(context.endpoint, status, reply.error ?? {}, context.requestId),
      headers,
    );
    return;
  }

  const plan = planReply(reply, context.model, promptText(context.body));
  const rendering = render(context.endpoint, plan, context.body);
  if (!streaming) {
    const body = reply.malformedChunkAt === undefined ? rendering.json : '{"id": "truncated';
    sendJson(res, status, body, headers);
    return;
  }

  // Every format's terminal event is its last frame.
  let frames = reply.omitTerminalEvent ? rendering.frames.slice(0, -1) : rendering.frames;
  const streamError = reply.streamError;
  if (streamError) {
    const position = Math.min(streamError.afterChunks, frames.length);
    frames = [...frames.slice(0, position), ...rendering.streamError(streamError, position)];
  }
  if (reply.malformedChunkAt !== undefined)
    frames = withMalformedFrame(frames, reply.malformedChunkAt);
  res.writeHead(status, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    connection: "keep-alive",
    ...headers,
  });
  await writeSseStream(res, frames, {
    intervalMs: reply.chunkIntervalMs ?? 0,
    disconnectAfter: reply.disconnectAfterChunks,
    signal: context.signal,
  });
}
