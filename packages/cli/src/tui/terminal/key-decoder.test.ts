import { describe, expect, it } from "vitest";
import { fakeClock } from "./fake-clock.js";
import { createKeyDecoder } from "./key-decoder.js";
import { keyId, type KeyEvent } from "./key-event.js";

/** A decoder on a fake clock; `chunks` are the reads, in order; returns each read's events. */
function decoder() {
  const clock = fakeClock();
  const reads: KeyEvent[][] = [];
  const decode = createKeyDecoder((events) => reads.push(events), { clock, escTimeoutMs: 30 });
  return {
    clock,
    reads,
    feed: (...chunks: (string | Buffer)[]) => chunks.forEach((chunk) => decode.feed(chunk)),
    /** Every event so far, as key ids (`paste:<text>` for pastes). */
    ids: () =>
      reads.flat().map((event) => (event.type === "paste" ? `paste:${event.text}` : keyId(event))),
  };
}

describe("key decoder: what terminals send", () => {
  it("plain text, Enter, Tab, Backspace, Ctrl letters, Ctrl+J", () => {
    const d = decoder();
    d.feed("hi\r\t\x7f\x03\x04\n");
    expect(d.ids()).toEqual(["h", "i", "enter", "tab", "backspace", "ctrl+c", "ctrl+d", "ctrl+j"]);
  });

  it("UTF-8 split across reads stays one character", () => {
    const d = decoder();
    const bytes = Buffer.from("é🙂", "utf8");
    d.feed(bytes.subarray(0, 1), bytes.subarray(1, 3), bytes.subarray(3));
    expect(d.ids()).toEqual(["é", "🙂"]);
  });

  it.each([
    ["\x1b[A", "up"],
    ["\x1bOA", "up"],
    ["\x1b[1;3A", "alt+up"],
    ["\x1b\x1b[A", "alt+up"],
    ["\x1b[1;5D", "ctrl+left"],
    ["\x1b[1;2B", "shift+down"],
    ["\x1b[3~", "delete"],
    ["\x1b[3;5~", "ctrl+delete"],
    ["\x1b[5~", "pageup"],
    ["\x1b[H", "home"],
    ["\x1b[4~", "end"],
    ["\x1b[Z", "shift+tab"],
    ["\x1bb", "alt+b"],
    ["\x1b\x7f", "alt+backspace"],
    ["\x1b\r", "alt+enter"],
    ["\x1b[13;2u", "shift+enter"],
    ["\x1b[27;2;13~", "shift+enter"],
    ["\\\r", "shift+enter"],
    ["\\\r\n", "shift+enter"],
    ["\x1b[57414u", "enter"],
    ["\x1bOM", "enter"],
    ["\x1b[99;5u", "ctrl+c"],
    ["\x1b[97;2u", "A"],
    ["\x1b[27u", "escape"],
  ])("%j is %s", (bytes, id) => {
    const d = decoder();
    d.feed(bytes);
    expect(d.ids()).toEqual([id]);
  });

  it("focus reports, mouse reports and kitty key releases are no keys", () => {
    const d = decoder();
    d.feed("\x1b[I\x1b[O\x1b[<0;10;5M\x1b[97;1:3u");
    expect(d.ids()).toEqual([]);
  });

  it("a sequence split across reads is one key", () => {
    const d = decoder();
    d.feed("\x1b", "[1;", "3A");
    expect(d.ids()).toEqual(["alt+up"]);
  });

  it("a lone ESC is Escape only after the timeout, and not before", () => {
    const d = decoder();
    d.feed("hello\r\x1b");
    expect(d.ids()).toEqual(["h", "e", "l", "l", "o", "enter"]);
    d.clock.advance(29);
    expect(d.ids()).toHaveLength(6);
    d.clock.advance(1);
    expect(d.ids().at(-1)).toBe("escape");
    expect(d.reads).toHaveLength(2);
  });

  it("ESC then a letter after the timeout is Escape and the letter; within it, Alt+letter", () => {
    const slow = decoder();
    slow.feed("\x1b");
    slow.clock.advance(30);
    slow.feed("b");
    expect(slow.ids()).toEqual(["escape", "b"]);
    const fast = decoder();
    fast.feed("\x1b");
    fast.clock.advance(10);
    fast.feed("b");
    expect(fast.ids()).toEqual(["alt+b"]);
  });

  it("an unfinished CSI that never completes: Escape, then what followed as text", () => {
    const d = decoder();
    d.feed("\x1b[");
    d.clock.advance(30);
    expect(d.ids()).toEqual(["escape", "["]);
  });

  it("bracketed paste across reads, end marker split, is one paste event with the text as sent", () => {
    const d = decoder();
    d.feed("a\x1b[200~line 1\r", "line 2\x1b[2", "01~b");
    expect(d.ids()).toEqual(["a", "paste:line 1\rline 2", "b"]);
  });

  it("a paste start marker split across reads still starts a paste", () => {
    const d = decoder();
    d.feed("\x1b[20", "0~x\x1b[201~");
    expect(d.ids()).toEqual(["paste:x"]);
  });

  it("text that looks like keys inside a paste stays text", () => {
    const d = decoder();
    d.feed("\x1b[200~\x03\r\x1b[A\t\x1b[201~");
    expect(d.ids()).toEqual(["paste:\x03\r\x1b[A\t"]);
  });

  it("a paste whose end never comes is delivered after the paste timeout", () => {
    const clock = fakeClock();
    const reads: KeyEvent[][] = [];
    const decode = createKeyDecoder((events) => reads.push(events), {
      clock,
      pasteTimeoutMs: 1000,
    });
    decode.feed("\x1b[200~half a paste");
    clock.advance(999);
    expect(reads).toEqual([]);
    clock.advance(1);
    expect(reads).toEqual([[{ type: "paste", text: "half a paste" }]]);
  });
});
