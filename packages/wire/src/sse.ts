import { StringDecoder } from "node:string_decoder";

/** One server-sent event. `event` is absent when the stream named none (the default "message"). */
export interface SseMessage {
  event?: string;
  data: string;
  id?: string;
}

const LF = 10;

/**
 * Incremental SSE parser after the WHATWG event-stream rules: feed bytes or strings split
 * anywhere (inside a UTF-8 sequence, between CR and LF), get whole events out. Handles CRLF,
 * CR and LF line ends, multi-line `data`, comments and a leading BOM. Bytes are decoded with
 * Node's StringDecoder (a UTF-8 sequence split across chunks is completed by the next one):
 * several times cheaper per chunk than a streaming TextDecoder, on every streamed response.
 */
export class SseParser {
  private readonly decoder = new StringDecoder("utf8");
  private buffer = "";
  private sawFirstChunk = false;
  /** The last chunk ended with a CR: a LF starting the next one is the rest of its CRLF. */
  private afterCR = false;
  private data: string | undefined;
  private event: string | undefined;
  private id: string | undefined;

  /** Parse a chunk; returns the events it completed (often none or one). */
  push(chunk: string | Uint8Array): SseMessage[] {
    let text = typeof chunk === "string" ? chunk : this.decoder.write(chunk);
    if (!this.sawFirstChunk && text.length > 0) {
      this.sawFirstChunk = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (this.afterCR && text.length > 0) {
      this.afterCR = false;
      if (text.charCodeAt(0) === LF) text = text.slice(1);
    }
    this.buffer = this.buffer.length === 0 ? text : this.buffer + text;
    return this.drainLines(false);
  }

  /** The stream ended: a final event without its blank line is discarded, per spec. */
  end(): SseMessage[] {
    this.buffer += this.decoder.end();
    const messages = this.drainLines(true);
    this.data = undefined;
    this.event = undefined;
    return messages;
  }

  private drainLines(atEnd: boolean): SseMessage[] {
    const messages: SseMessage[] = [];
    const buffer = this.buffer;
    // Line ends are found with indexOf (native) rather than by looking at every character, the
    // parser's main cost on every streamed response; most servers end lines with LF alone, so
    // a CR is looked for again only when the text has one.
    let lf = buffer.indexOf("\n");
    let cr = buffer.indexOf("\r");
    let lineStart = 0;
    for (;;) {
      if (lf >= 0 && lf < lineStart) lf = buffer.indexOf("\n", lineStart);
      if (cr >= 0 && cr < lineStart) cr = buffer.indexOf("\r", lineStart);
      const end = lf < 0 ? cr : cr < 0 || lf < cr ? lf : cr;
      if (end < 0) break;
      const message = this.processLine(buffer, lineStart, end);
      if (message !== undefined) messages.push(message);
      lineStart = end + 1;
      if (end === cr) {
        // A CR last in the chunk ends its line now; a LF that starts the next chunk completes
        // the CRLF (skipped there), so an event is never held back waiting for it.
        if (lineStart === buffer.length) this.afterCR = true;
        else if (buffer.charCodeAt(lineStart) === LF) lineStart += 1;
      }
    }
    this.buffer = lineStart === 0 ? buffer : buffer.slice(lineStart);
    if (atEnd && this.buffer.length > 0) {
      // An unterminated last line still sets fields, but the event is never dispatched.
      this.processLine(this.buffer, 0, this.buffer.length);
      this.buffer = "";
    }
    return messages;
  }

  private processLine(buffer: string, start: number, end: number): SseMessage | undefined {
    if (start === end) return this.dispatch();
    if (buffer.charCodeAt(start) === 58 /* ":" */) return undefined;
    let colon = buffer.indexOf(":", start);
    if (colon < 0 || colon > end) colon = end;
    let valueStart = colon + 1;
    if (valueStart < end && buffer.charCodeAt(valueStart) === 32 /* " " */) valueStart += 1;
    const value = valueStart >= end ? "" : buffer.slice(valueStart, end);
    // The field name is compared in place: no string is cut for it.
    switch (colon - start) {
      case 4:
        if (buffer.startsWith("data", start))
          this.data = this.data === undefined ? value : `${this.data}\n${value}`;
        break;
      case 5:
        if (buffer.startsWith("event", start)) this.event = value;
        break;
      case 2:
        if (buffer.startsWith("id", start) && !value.includes("\0")) this.id = value;
        break;
      default:
        // `retry` and unknown fields carry nothing a gateway acts on.
        break;
    }
    return undefined;
  }

  private dispatch(): SseMessage | undefined {
    const data = this.data;
    const event = this.event;
    this.data = undefined;
    this.event = undefined;
    if (data === undefined) return undefined;
    const message: SseMessage = { data };
    if (event !== undefined && event.length > 0) message.event = event;
    if (this.id !== undefined) message.id = this.id;
    return message;
  }
}

/** Parse a whole SSE text at once (fixtures, tests, buffered bodies). */
export function parseSseText(text: string): SseMessage[] {
  const parser = new SseParser();
  const messages = parser.push(text);
  for (const message of parser.end()) messages.push(message);
  return messages;
}

/** One SSE frame: optional `event:` line, `data:` line(s), blank line. */
export function formatSseFrame(data: string, event?: string): string {
  // JSON payloads never contain raw newlines; only arbitrary text needs splitting.
  const dataLines = data.includes("\n") ? data.split("\n").join("\ndata: ") : data;
  return event === undefined ? `data: ${dataLines}\n\n` : `event: ${event}\ndata: ${dataLines}\n\n`;
}
