import { describe, expect, it } from "vitest";
import { createKeyDecoder } from "../terminal/key-decoder.js";
import type { KeyEvent } from "../terminal/key-event.js";
import { intentFor, type KeyMode } from "./keymap.js";

/** The intents for raw terminal bytes, through the real decoder. */
function intents(bytes: string, mode: KeyMode = "compose") {
  const events: KeyEvent[] = [];
  const decoder = createKeyDecoder((decoded) => events.push(...decoded));
  decoder.feed(bytes);
  decoder.flush();
  return events.map((event) => intentFor(event, mode));
}

describe("keymap", () => {
  it("Enter submits, Tab queues, Esc interrupts, Alt+Up pulls back (tmux and xterm encodings)", () => {
    expect(intents("\r\t\x1b")).toEqual([
      { type: "submit" },
      { type: "queue" },
      { type: "interrupt" },
    ]);
    expect(intents("\x1b[1;3A")).toEqual([{ type: "pullBack" }]);
    expect(intents("\x1b\x1b[A")).toEqual([{ type: "pullBack" }]);
  });

  it("every newline key inserts a newline instead of sending", () => {
    // Ctrl+J, kitty Shift+Enter, modifyOtherKeys Shift+Enter, Alt+Enter, backslash-Enter.
    for (const bytes of ["\n", "\x1b[13;2u", "\x1b[27;2;13~", "\x1b\r", "\\\r"])
      expect(intents(bytes), JSON.stringify(bytes)).toEqual([{ type: "newline" }]);
  });

  it("typed characters insert, pastes paste, Ctrl+C and Ctrl+D are their own intents", () => {
    expect(intents("hé")).toEqual([
      { type: "insert", text: "h" },
      { type: "insert", text: "é" },
    ]);
    expect(intents("\x1b[200~a\rb\x1b[201~")).toEqual([{ type: "paste", text: "a\rb" }]);
    expect(intents("\x03\x04")).toEqual([{ type: "ctrlC" }, { type: "ctrlD" }]);
  });

  it("an approval prompt answers with y/a/n/d and ignores other letters", () => {
    expect(intents("yand", "approval")).toEqual([
      { type: "answer", choice: "approve_once" },
      { type: "answer", choice: "approve_session" },
      { type: "answer", choice: "deny" },
      { type: "answer", choice: "deny_with_note" },
    ]);
    expect(intents("x", "approval")).toEqual([null]);
    expect(intents("\x1b[200~pasted\x1b[201~", "approval")).toEqual([null]);
  });
});
