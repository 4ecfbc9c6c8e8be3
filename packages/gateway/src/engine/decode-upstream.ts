import type { CanonicalEvent } from "@hedge/model-spec";
import { codecFor, SseParser } from "@hedge/wire";
import type { RequestRecord } from "./observer.js";
import type { Attempt } from "./route.js";
import type { UpstreamResponse } from "./upstream-body.js";

/**
 * Canonical events of an upstream stream (the embedded client's path), recording usage, tool
 * calls, time to first byte and failures on `record`. A failure after the stream began is told
 * to `streamFailed` (health counts it) and ends the stream with an error event; it is never
 * retried. A stream left before its end aborts the upstream call.
 */
export async function* decodeUpstream(
  attempt: Attempt,
  response: UpstreamResponse,
  record: RequestRecord,
  clock: number,
  streamFailed: (attempt: Attempt, message: string) => Promise<void>,
): AsyncGenerator<CanonicalEvent> {
  const decoder = codecFor(attempt.provider.wire).createStreamDecoder(attempt.provider.id);
  const parser = new SseParser();
  let sawEnd = false;
  const track = (event: CanonicalEvent): CanonicalEvent => {
    if (event.type === "usage") record.usage = event.usage;
    else if (event.type === "tool_call.start") record.toolCalls = (record.toolCalls ?? 0) + 1;
    else if (event.type === "error") {
      record.outcome = "stream_error";
      record.errorType = event.error.type;
      sawEnd = true;
    } else if (event.type === "finish") sawEnd = true;
    return event;
  };
  try {
    for await (const chunk of response.body) {
      record.ttfbMs ??= performance.now() - clock;
      for (const message of parser.push(chunk)) {
        for (const event of decoder.push(message)) yield track(event);
      }
    }
    for (const message of parser.end()) {
      for (const event of decoder.push(message)) yield track(event);
    }
    for (const event of decoder.end()) yield track(event);
    if (record.outcome === "stream_error")
      await streamFailed(attempt, record.errorType ?? "error event");
  } catch (error) {
    record.outcome = "stream_error";
    const message = error instanceof Error ? error.message : String(error);
    await streamFailed(attempt, message);
    yield {
      type: "error",
      error: { type: "api_error", message: `${attempt.provider.id} stream failed: ${message}` },
    };
  } finally {
    if (!sawEnd) response.body.destroy();
  }
}
