import type { ServerResponse } from "node:http";
import type { CanonicalError } from "@hedge/model-spec";
import type { Exchange } from "../engine/exchange.js";
import type { UpstreamResponse } from "../engine/upstream.js";
import { UsageTap } from "../engine/usage-tap.js";
import { malformedStreamError, truncatedStreamError, type WireCodec } from "@hedge/wire";

/**
 * Streams an upstream SSE body to a client of the same wire, byte for byte, one whole event at a
 * time: bytes of an event still arriving wait until its blank line, so the tap has checked every
 * event a client gets. When the upstream breaks the wire format (an event's data is not JSON)
 * that event and those after it are held back; when it closes before its terminal event
 * (`[DONE]`, `response.completed`, `message_stop`) nothing more comes. Either way the client
 * gets an error event in its own wire format instead of a stream that looks complete, and the
 * record says the stream failed. `source` names the provider in that error.
 */
export async function streamThrough(
  response: UpstreamResponse,
  res: ServerResponse,
  exchange: Exchange,
  codec: WireCodec,
  source: string,
): Promise<void> {
  const record = exchange.record;
  const tap = new UsageTap(codec, true);
  let pending: Buffer | undefined;
  try {
    for await (const chunk of response.body) {
      const bytes = pending ? Buffer.concat([pending, chunk]) : chunk;
      const cut = afterLastEvent(bytes);
      pending = cut < bytes.length ? bytes.subarray(cut) : undefined;
      if (cut === 0) continue;
      const events = bytes.subarray(0, cut);
      tap.push(events);
      if (tap.malformed) {
        response.body.destroy();
        fail(res, exchange, codec, malformedStreamError("api_error", source));
        return;
      }
      if (!res.write(events)) await waitForDrain(res);
    }
    // The upstream ended: what waited for a blank line is judged as a client's parser would (an
    // event the end cut short carries nothing), checked before it goes out.
    if (pending) tap.push(pending);
    tap.close();
    if (tap.malformed) {
      fail(res, exchange, codec, malformedStreamError("api_error", source));
      return;
    }
    if (!tap.ended) {
      fail(res, exchange, codec, truncatedStreamError("api_error", source, codec.terminal));
      return;
    }
    if (tap.upstreamError) {
      // The upstream's own error event went to the client as it was; the record says so too.
      exchange.failStream(tap.upstreamError.type);
    }
    res.end(pending);
  } catch (error) {
    // Bytes already reached the client: end the stream with an error frame, never retry.
    exchange.failStream("api_error");
    const message = error instanceof Error ? error.message : String(error);
    res.end(codec.encodeErrorFrame(502, "api_error", `upstream stream failed: ${message}`));
  } finally {
    record.usage = tap.end();
    record.toolCalls = tap.toolCalls;
  }
}

function fail(
  res: ServerResponse,
  exchange: Exchange,
  codec: WireCodec,
  error: CanonicalError,
): void {
  exchange.failStream(error.type);
  res.end(codec.encodeErrorFrame(error.status ?? 502, error.type, error.message));
}

/**
 * Where the last whole SSE event in `bytes` ends (just after its blank line), or 0. A blank line
 * is a line end (CRLF, LF or CR) right after another; a CR that is the last byte ends its line
 * as the tap's parser reads it (a LF after it completes the CRLF). Scanned from the end: a chunk
 * nearly always ends with an event's blank line, so this stops at once.
 */
export function afterLastEvent(bytes: Buffer): number {
  for (let at = bytes.length - 1; at > 0; at -= 1) {
    const byte = bytes[at];
    if (byte !== LF && byte !== CR) continue;
    // Where this line end starts: a CRLF is one line end.
    const start = byte === LF && bytes[at - 1] === CR ? at - 1 : at;
    const before = bytes[start - 1];
    if (before === LF || before === CR) return at + 1;
  }
  return 0;
}

const LF = 0x0a;
const CR = 0x0d;

/** Resolves when the client can take more bytes, or has gone. */
export function waitForDrain(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}
