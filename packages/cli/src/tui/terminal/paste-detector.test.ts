import { describe, expect, it } from "vitest";
import { fakeClock } from "./fake-clock.js";
import { createKeyDecoder } from "./key-decoder.js";
import { keyId, type KeyEvent } from "./key-event.js";
import { createPasteDetector } from "./paste-detector.js";

/** Reads go through the real decoder, then the detector; returns what comes out, as ids. */
function pipeline() {
  const clock = fakeClock();
  const out: KeyEvent[][] = [];
  const detector = createPasteDetector((events) => out.push(events), { clock, gapMs: 30 });
  const decoder = createKeyDecoder((events) => detector.push(events), { clock });
  return {
    clock,
    read: (chunk: string) => decoder.feed(chunk),
    ids: () =>
      out.flat().map((event) => (event.type === "paste" ? `paste:${event.text}` : keyId(event))),
  };
}

describe("paste detector: pastes without bracketed paste mode", () => {
  it("typed keys, one read each, pass through at once", () => {
    const p = pipeline();
    for (const chunk of ["h", "i", "\r"]) p.read(chunk);
    expect(p.ids()).toEqual(["h", "i", "enter"]);
  });

  it("a short line and Enter in one read (tmux send-keys) submits, without waiting", () => {
    const p = pipeline();
    p.read("fix it\r");
    expect(p.ids()).toEqual(["f", "i", "x", " ", "i", "t", "enter"]);
  });

  it("text, Enter, text in one read is a paste: the Enter does not submit", () => {
    const p = pipeline();
    p.read("line one\rline two");
    expect(p.ids()).toEqual([]);
    p.clock.advance(30);
    expect(p.ids()).toEqual(["paste:line one\nline two"]);
  });

  it("a paste split over reads is one paste", () => {
    const p = pipeline();
    p.read("first line\rsecond");
    p.clock.advance(10);
    p.read(" half\rthird\r");
    p.clock.advance(30);
    expect(p.ids()).toEqual(["paste:first line\nsecond half\nthird\n"]);
  });

  it("a long read ending in Enter: a paste if more follows at once, else typed and submitted", () => {
    const pasted = pipeline();
    pasted.read("a long first line of a paste\r");
    pasted.clock.advance(5);
    pasted.read("and its second line");
    pasted.clock.advance(30);
    expect(pasted.ids()).toEqual(["paste:a long first line of a paste\nand its second line"]);

    const typed = pipeline();
    typed.read("a long line sent with Enter\r");
    expect(typed.ids()).toEqual([]);
    typed.clock.advance(30);
    expect(typed.ids().at(-1)).toBe("enter");
    expect(typed.ids().join("")).toBe("a long line sent with Enterenter");
  });

  it("a read with other keys is never a paste; a bracketed paste passes through", () => {
    const p = pipeline();
    p.read("a\rb\x1b[A");
    expect(p.ids()).toEqual(["a", "enter", "b", "up"]);
    p.read("\x1b[200~x\ry\x1b[201~");
    expect(p.ids().at(-1)).toBe("paste:x\ry");
  });
});
