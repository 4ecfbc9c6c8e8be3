import type { CanonicalEvent } from "@hedge/model-spec";
import { codecFor, SseParser } from "@hedge/wire";
import type { Exchange } from "./exchange.js";
import type { Attempt } from "./route.js";
import type { UpstreamResponse } from "./upstream-body.js";

/**
 * Canonical events of an upstream stream (the embedded client's path), recording usage, tool
 * calls, time to first byte and failures on the exchange. A failure after the stream began ends
 * the stream with an error event (the exchange counts it against the route when it finishes);
 * it is never retried. A stream left before its end aborts the upstream call.
 */
export async function* decodeUpstream(
  attempt: Attempt,
  response: UpstreamResponse,
  exchange: Exchange,
): AsyncGenerator<CanonicalEvent> {
  const record = exchange.record;
  const decoder = codecFor(attempt.provider.wire).createStreamDecoder(attempt.provider.id);
  const parser = new SseParser();
  let sawEnd = false;
  const track = (event: CanonicalEvent): CanonicalEvent => {
    if (event.type === "usage") record.usage = event.usage;
    else if (event.type === "tool_call.start") record.toolCalls = (record.toolCalls ?? 0) + 1;
    else if (event.type === "error") {
      exchange.failStream(event.error.type);
      sawEnd = true;
    } else if (event.type === "finish") sawEnd = true;
    return event;
  };
  try {
    for await (const chunk of response.body) {
      record.ttfbMs ??= performance.now() - exchange.started;
      for (const message of parser.push(chunk)) {
        for (const event of decoder.push(message)) yield track(event);
      }
    }
    for (const message of parser.end()) {
      for (const event of decoder.push(message)) yield track(event);
    }
    for (const event of decoder.end()) yield track(event);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    exchange.failStream("api_error", message);
    yield {
      type: "error",
      error: { type: "api_error", message: `${attempt.provider.id} stream failed: ${message}` },
    };
  } finally {
    if (!sawEnd) response.body.destroy();
  }
}
