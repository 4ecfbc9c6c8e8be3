import type { Span } from "./json-raw.js";

/** An outbound body written into one buffer (grown when needed): strings and copied byte ranges. */
export class ByteOutput {
  private buffer: Buffer;
  private length = 0;

  constructor(size: number) {
    this.buffer = Buffer.allocUnsafe(size);
  }

  text(text: string): void {
    this.reserve(text.length * 3);
    const buffer = this.buffer;
    const length = text.length;
    // Most pieces are short ASCII syntax (`,"role":"tool","content":`): stored char by char,
    // cheaper than a call into the encoder; anything else is encoded as UTF-8.
    if (length < 64) {
      let at = 0;
      while (at < length) {
        const code = text.charCodeAt(at);
        if (code >= 0x80) break;
        buffer[this.length + at] = code;
        at += 1;
      }
      if (at === length) {
        this.length += length;
        return;
      }
    }
    this.length += buffer.write(text, this.length);
  }

  copy(raw: Buffer, span: Span): void {
    const bytes = span.end - span.start;
    this.reserve(bytes);
    const buffer = this.buffer;
    // Buffer#copy costs more per call than a short loop: ids and names are short.
    if (bytes < 64)
      for (let at = 0; at < bytes; at += 1)
        buffer[this.length + at] = raw[span.start + at] as number;
    else buffer.set(raw.subarray(span.start, span.end), this.length);
    this.length += bytes;
  }

  done(): Buffer {
    return this.buffer.subarray(0, this.length);
  }

  private reserve(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + bytes));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }
}
