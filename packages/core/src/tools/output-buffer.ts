/**
 * Keeps the first `headBytes` and the last `tailBytes` of a byte stream; the middle is counted
 * and later replaced by a marker. Errors and summaries tend to sit at either end of a command's
 * output, so both ends survive.
 */
export class HeadTailBuffer {
  readonly #headBytes: number;
  readonly #tailBytes: number;
  #head: Buffer[] = [];
  #headLength = 0;
  #tail: Buffer[] = [];
  #tailLength = 0;
  #total = 0;

  constructor(headBytes = 8 * 1024, tailBytes = 8 * 1024) {
    this.#headBytes = headBytes;
    this.#tailBytes = tailBytes;
  }

  get totalBytes(): number {
    return this.#total;
  }

  push(chunk: Buffer): void {
    this.#total += chunk.length;
    let rest = chunk;
    if (this.#headLength < this.#headBytes) {
      const take = Math.min(this.#headBytes - this.#headLength, rest.length);
      this.#head.push(rest.subarray(0, take));
      this.#headLength += take;
      rest = rest.subarray(take);
    }
    if (rest.length === 0) return;
    this.#tail.push(rest);
    this.#tailLength += rest.length;
    while (this.#tailLength > this.#tailBytes) {
      const first = this.#tail[0];
      if (first === undefined) break;
      const excess = this.#tailLength - this.#tailBytes;
      if (first.length <= excess) {
        this.#tail.shift();
        this.#tailLength -= first.length;
      } else {
        this.#tail[0] = first.subarray(excess);
        this.#tailLength -= excess;
      }
    }
  }

  /** The kept text, with `[... N bytes truncated ...]` where the middle was dropped. */
  toString(): string {
    const head = Buffer.concat(this.#head);
    const tail = Buffer.concat(this.#tail);
    const dropped = this.#total - head.length - tail.length;
    if (dropped === 0) return Buffer.concat([head, tail]).toString("utf8");
    // Cut at character boundaries so no half characters appear around the marker.
    const headEnd = utf8BoundaryBefore(head, head.length);
    const tailStart = utf8BoundaryAfter(tail, 0);
    const truncated = dropped + (head.length - headEnd) + tailStart;
    return (
      head.subarray(0, headEnd).toString("utf8") +
      `\n[... ${truncated} bytes truncated ...]\n` +
      tail.subarray(tailStart).toString("utf8")
    );
  }
}

const isContinuation = (byte: number | undefined): boolean =>
  byte !== undefined && (byte & 0xc0) === 0x80;

/** The largest index <= end where a UTF-8 character starts (or the buffer ends cleanly). */
function utf8BoundaryBefore(buffer: Buffer, end: number): number {
  let index = end;
  // Step back over continuation bytes to the lead byte of the last character.
  while (index > 0 && isContinuation(buffer[index - 1])) index -= 1;
  if (index === 0) return end;
  const lead = buffer[index - 1] ?? 0;
  const length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return end - (index - 1) >= length ? end : index - 1;
}

function utf8BoundaryAfter(buffer: Buffer, start: number): number {
  let index = start;
  while (index < buffer.length && isContinuation(buffer[index])) index += 1;
  return index;
}
