import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import type { KeyEvent } from "./key-event.js";
import { openKeySource } from "./key-source.js";

/** A TTY-like input stream that records raw mode changes. */
function ttyInput() {
  const stream = new PassThrough();
  const modes: boolean[] = [];
  return Object.assign(stream, {
    isTTY: true,
    modes,
    setRawMode(mode: boolean) {
      modes.push(mode);
      return stream;
    },
  });
}

describe("key source", () => {
  it("puts the terminal in raw mode, decodes keys across reads, and gives cooked mode back on close", async () => {
    const input = ttyInput();
    const keys: KeyEvent[] = [];
    const source = openKeySource(input, (events) => keys.push(...events));
    input.write(Buffer.from("h\xc3", "latin1"));
    input.write(Buffer.from("\xa9\x1b[1;3A", "latin1"));
    await new Promise((resolve) => setImmediate(resolve));
    source.close();
    expect(
      keys.map((event) =>
        event.type === "key" ? (event.char ?? `${event.alt ? "alt+" : ""}${event.name}`) : "paste",
      ),
    ).toEqual(["h", "é", "alt+up"]);
    expect(input.modes).toEqual([true, false]);
    input.write("x");
    await new Promise((resolve) => setImmediate(resolve));
    expect(keys).toHaveLength(3);
  });
});
