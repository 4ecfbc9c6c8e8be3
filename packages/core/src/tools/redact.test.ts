import { describe, expect, it } from "vitest";
import { MIN_SECRET_LENGTH, REDACTED, SecretRedactor } from "./redact.js";
import { runProcess } from "./run-process.js";

const KEY = "sk-test-4f9a2c7e1b";
const OTHER = "gw-0123456789";

describe("SecretRedactor", () => {
  const redactor = new SecretRedactor([KEY, OTHER, "short", `  ${OTHER}  `]);

  it("replaces every occurrence of every secret", () => {
    expect(redactor.redact(`a ${KEY} b ${OTHER} c ${KEY}`)).toBe(
      `a ${REDACTED} b ${REDACTED} c ${REDACTED}`,
    );
  });

  it(`leaves values shorter than ${MIN_SECRET_LENGTH} characters alone`, () => {
    expect(redactor.redact("a short word")).toBe("a short word");
  });

  it("replaces a secret containing another one whole", () => {
    const nested = new SecretRedactor(["abcdefgh", "xxabcdefghxx"]);
    expect(nested.redact("xxabcdefghxx abcdefgh")).toBe(`${REDACTED} ${REDACTED}`);
  });

  it("streams: a secret split at any point across two pieces never shows, even in part", () => {
    const text = `before ${KEY} after`;
    for (let cut = 1; cut < text.length; cut += 1) {
      const stream = redactor.stream();
      const first = stream.push(text.slice(0, cut));
      const second = stream.push(text.slice(cut));
      const rest = stream.end();
      expect(first + second + rest).toBe(`before ${REDACTED} after`);
      for (const shown of [first, first + second]) {
        expect(shown).not.toContain(KEY.slice(0, 3));
      }
    }
  });

  it("streams: a held-back start that turns out not to be a secret comes out in the end", () => {
    const stream = redactor.stream();
    expect(stream.push("ends with sk-te")).toBe("ends with ");
    expect(stream.end()).toBe("sk-te");
  });

  it("redacts command output before it is kept: no part of a secret survives truncation", async () => {
    // Head and tail of 16 bytes: the secret straddles the cut on both sides.
    const result = await runProcess({
      command: "sh",
      args: [
        "-c",
        `printf '%s' 'aaaaaaaaaa${KEY}bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb${KEY}cc'`,
      ],
      cwd: "/",
      env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin" },
      timeoutMs: 10_000,
      signal: new AbortController().signal,
      headBytes: 16,
      tailBytes: 16,
      redactor,
    });
    expect(result.status === "exited" && result.output).toMatch(
      /^aaaaaaaaaa\[redac\n\[\.\.\. \d+ bytes truncated \.\.\.\]\nb*\[redacted\]cc$/,
    );
  });
});
