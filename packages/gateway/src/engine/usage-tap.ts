import type { CanonicalError, CanonicalUsage } from "@hedge/model-spec";
import {
  streamPayload,
  parseJsonObject,
  type JsonObject,
  SseParser,
  type SseMessage,
  type WireCodec,
} from "@hedge/wire";

/**
 * Watches pass-through bytes for usage, tool calls and the stream's health without re-encoding
 * them: SSE framing is parsed and each event's data parsed once, so an event that breaks the
 * wire format (data that is not JSON) and a stream's terminal event (or its absence) are seen.
 *
 * Every event is parsed in full, not only those the tap reads: the guarantee is that a client
 * never gets an event its own parser would choke on, and only a full parse proves that (a
 * cheaper syntactic check such as "starts with `{` and ends with `}`" passes a cut event whose
 * last byte happens to close an inner object, or two events run together). V8's JSON.parse is
 * also the cheapest exact check available (an event of a few hundred bytes in about a
 * microsecond, less than a JavaScript validator that builds nothing), small next to the write of
 * that event to the client.
 */
export class UsageTap {
  usage: CanonicalUsage | undefined;
  /** Tool calls the response started. */
  toolCalls = 0;
  /** The stream's terminal event arrived (a success end or an error event). */
  ended = false;
  /** The error event the upstream sent in the stream, if any. */
  upstreamError: CanonicalError | undefined;
  /** An event's data was not JSON: the stream broke its wire format there. */
  malformed = false;
  private readonly parser: SseParser | undefined;
  private readonly buffered: Uint8Array[] = [];

  constructor(
    private readonly codec: WireCodec,
    stream: boolean,
  ) {
    this.parser = stream ? new SseParser() : undefined;
  }

  push(chunk: Uint8Array): void {
    if (!this.parser) this.buffered.push(chunk);
    else this.watch(this.parser.push(chunk));
  }

  /** The stream ended: an event whose last line end was its last byte is complete now. */
  close(): void {
    if (this.parser) this.watch(this.parser.end());
  }

  private watch(messages: readonly SseMessage[]): void {
    const mark = this.codec.toolCallMark;
    for (const message of messages) {
      if (this.malformed) return;
      const data = message.data;
      const payload = data === "[DONE]" ? undefined : streamPayload(data);
      if (payload === "malformed") {
        this.malformed = true;
        return;
      }
      const end = this.codec.streamEnd(message, payload);
      if (end) {
        this.ended = true;
        if (end.error) this.upstreamError = end.error;
      }
      if (payload === undefined) continue;
      if (data.includes('"usage"')) {
        this.usage = this.codec.tapUsage(this.usage, payload) ?? this.usage;
      }
      if ((mark.event === undefined || message.event === mark.event) && data.includes(mark.text)) {
        this.toolCalls += this.codec.toolCallsIn(payload);
      }
    }
  }

  end(): CanonicalUsage | undefined {
    if (!this.parser) {
      const body = this.buffered.length === 1 ? this.buffered[0] : Buffer.concat(this.buffered);
      if (body) this.takeBody(Buffer.isBuffer(body) ? body : Buffer.from(body));
    }
    return this.usage;
  }

  /**
   * A JSON body's usage: every wire puts `usage` at the top level, near the end, so only that
   * object is parsed (the answer itself may be many kilobytes); the whole body when the object
   * cannot be isolated.
   */
  private takeBody(body: Buffer): void {
    // An answer with tool calls is parsed whole (they are spread through it), usage with it.
    if (body.includes(toolCallBytes(this.codec))) {
      const payload = parseJsonObject(body.toString("utf8"));
      if (payload) {
        this.usage = this.codec.tapUsage(this.usage, payload) ?? this.usage;
        this.toolCalls += countToolCalls(this.codec, payload);
        return;
      }
    }
    const usage = usageObject(body);
    if (usage) {
      this.usage = this.codec.tapUsage(this.usage, { usage }) ?? this.usage;
      return;
    }
    this.take(body.toString("utf8"));
  }

  private take(text: string): void {
    const payload = parseJsonObject(text);
    if (payload) this.usage = this.codec.tapUsage(this.usage, payload) ?? this.usage;
  }
}

/** Each codec's tool-call mark as bytes, made once (a body is searched as bytes). */
const markBytes = new WeakMap<WireCodec, Buffer>();

function toolCallBytes(codec: WireCodec): Buffer {
  let bytes = markBytes.get(codec);
  if (!bytes) {
    bytes = Buffer.from(codec.toolCallMark.text);
    markBytes.set(codec, bytes);
  }
  return bytes;
}

/** Tool calls in a whole JSON answer, by the codec's own decoding; 0 when it does not decode. */
function countToolCalls(codec: WireCodec, payload: JsonObject): number {
  try {
    return codec.decodeResponse(payload).filter((event) => event.type === "tool_call.start").length;
  } catch {
    return 0;
  }
}

const USAGE_KEY = Buffer.from('"usage"');
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * The last `"usage": {…}` of a JSON text, parsed alone: the key is found from the end (a quoted
 * key never occurs inside a JSON string, where quotes are escaped) and its object delimited by
 * a scan that skips strings. Undefined when there is none or it does not parse.
 */
export function usageObject(body: Buffer): JsonObject | undefined {
  const key = body.lastIndexOf(USAGE_KEY);
  if (key < 0) return undefined;
  let at = skipSpace(body, key + USAGE_KEY.length);
  if (body[at] !== 0x3a) return undefined; // ':'
  at = skipSpace(body, at + 1);
  if (body[at] !== 0x7b) return undefined; // '{'
  const start = at;
  let depth = 0;
  for (; at < body.length; at += 1) {
    const byte = body[at];
    if (byte === QUOTE) {
      for (at += 1; at < body.length && body[at] !== QUOTE; at += 1) {
        if (body[at] === BACKSLASH) at += 1;
      }
    } else if (byte === 0x7b) depth += 1;
    else if (byte === 0x7d) {
      depth -= 1;
      if (depth === 0) return parseJsonObject(body.toString("utf8", start, at + 1));
    }
  }
  return undefined;
}

function skipSpace(body: Buffer, at: number): number {
  let index = at;
  while (
    body[index] === 0x20 ||
    body[index] === 0x0a ||
    body[index] === 0x0d ||
    body[index] === 0x09
  )
    index += 1;
  return index;
}
