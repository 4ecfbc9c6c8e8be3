import { describe, expect, it } from "vitest";
import { HeadTailBuffer } from "./output-buffer.js";

describe("HeadTailBuffer", () => {
  it("keeps everything while it fits", () => {
    const buffer = new HeadTailBuffer(4, 4);
    buffer.push(Buffer.from("abc"));
    buffer.push(Buffer.from("defgh"));
    expect(buffer.toString()).toBe("abcdefgh");
  });

  it("keeps head and tail across chunks and counts the dropped middle", () => {
    const buffer = new HeadTailBuffer(4, 4);
    for (const chunk of ["ab", "cdef", "ghij", "klmn", "op"]) buffer.push(Buffer.from(chunk));
    expect(buffer.toString()).toBe("abcd\n[... 8 bytes truncated ...]\nmnop");
    expect(buffer.totalBytes).toBe(16);
  });

  it("never splits a UTF-8 character at the marker", () => {
    const buffer = new HeadTailBuffer(4, 4);
    buffer.push(Buffer.from("aaaé" + "x".repeat(10) + "éabc"));
    // The head ends with the first byte of é, the tail starts with the last byte of é: both are dropped.
    expect(buffer.toString()).toBe("aaa\n[... 14 bytes truncated ...]\nabc");
  });
});
