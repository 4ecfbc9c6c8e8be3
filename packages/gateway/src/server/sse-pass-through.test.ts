import { describe, expect, it } from "vitest";
import { afterLastEvent } from "./sse-pass-through.js";

/** The end of the last blank line by its definition: a line end (CRLF, LF or CR) after another. */
function reference(bytes: Buffer): number {
  let end = 0;
  let previousWasLineEnd = false;
  for (let at = 0; at < bytes.length; at += 1) {
    const byte = bytes[at];
    if (byte === 0x0d || byte === 0x0a) {
      if (byte === 0x0d && bytes[at + 1] === 0x0a) at += 1;
      if (previousWasLineEnd) end = at + 1;
      previousWasLineEnd = true;
    } else previousWasLineEnd = false;
  }
  return end;
}

describe("afterLastEvent (pass-through holds back an event until its blank line)", () => {
  it("cuts after the last whole event, whatever the line ends", () => {
    const cases: [string, number][] = [
      ["data: {}\n\ndata: {", 10],
      ["data: {}\r\n\r\ndata: {}\r\n", 12],
      ["data: {}\r\rdata: {}\r", 10],
      ["data: {}\n\r\n", 11],
      ["data: {}\n", 0],
      ["data: {}", 0],
      ["", 0],
      [": comment\n\nevent: x\ndata: {}\n\n", 30],
      ["data: {}\n\rdata: {", 10],
      ["data: {}\r\r\n", 11],
      ["data: {}\r\r", 10],
      ["data: {}\n\r", 10],
    ];
    for (const [text, cut] of cases) expect(afterLastEvent(Buffer.from(text)), text).toBe(cut);
  });

  it("agrees with the definition on every mix of line ends", () => {
    const pieces = ["data: {}", "\n", "\r", "\r\n", "x"];
    let seed = 7;
    const random = (): number => {
      seed = (seed * 48271) % 2147483647;
      return seed / 2147483647;
    };
    for (let round = 0; round < 5000; round += 1) {
      let text = "";
      const length = Math.floor(random() * 12);
      for (let index = 0; index < length; index += 1)
        text += pieces[Math.floor(random() * pieces.length)];
      const bytes = Buffer.from(text);
      expect(afterLastEvent(bytes), JSON.stringify(text)).toBe(reference(bytes));
    }
  });
});
