import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { readSecret, type SecretInput } from "../src/secret-input.js";

/** A stand-in for a terminal: isTTY, and raw mode recorded. */
function fakeTty(): PassThrough & SecretInput & { rawModes: boolean[] } {
  const stream = new PassThrough() as PassThrough & SecretInput & { rawModes: boolean[] };
  stream.isTTY = true;
  stream.rawModes = [];
  stream.setRawMode = (mode: boolean) => {
    stream.rawModes.push(mode);
    return stream;
  };
  return stream;
}

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = "";
  stream.on("data", (chunk: Buffer) => (text += chunk.toString()));
  return { stream, text: () => text };
}

describe("readSecret", () => {
  it("on a TTY echoes nothing but the prompt, in raw mode, restored after", async () => {
    const input = fakeTty();
    const output = capture();
    const reading = readSecret(input, output.stream, "API key: ");
    input.write("sk-abc");
    input.write("XY\u007f"); // backspace removes the Y
    input.write("Z\r");
    await expect(reading).resolves.toBe("sk-abcXZ");
    expect(output.text()).toBe("API key: \n");
    expect(input.rawModes).toEqual([true, false]);
  });

  it("on a TTY, Ctrl-C cancels", async () => {
    const input = fakeTty();
    const output = capture();
    const reading = readSecret(input, output.stream, "key: ");
    input.write("sk-par\u0003");
    await expect(reading).rejects.toMatchObject({ code: "interrupted", exitCode: 130 });
    expect(output.text()).not.toContain("sk-par");
    expect(input.rawModes).toEqual([true, false]);
  });

  it("reads piped stdin whole, without the trailing newline", async () => {
    const input = new PassThrough();
    const output = capture();
    input.end("sk-piped-key-1234\n");
    await expect(readSecret(input, output.stream, "key: ")).resolves.toBe("sk-piped-key-1234");
    expect(output.text()).toBe("");
  });

  it("reads an empty pipe as empty", async () => {
    const input = new PassThrough();
    input.end("");
    await expect(readSecret(input, capture().stream, "key: ")).resolves.toBe("");
  });
});
