import { describe, expect, it } from "vitest";
import { SseParser, backoffMs } from "./sse.js";

describe("the page's event-stream parser", () => {
  it("parses messages split anywhere across chunks, with ids, comments and CRLF", () => {
    const text =
      'retry: 3000\n\n: ping\n\nid: 7\nevent: batch\ndata: {"a":1}\n\nid: 8\r\nevent: snapshot\r\ndata: {"b":\r\ndata: 2}\r\n\r\n';
    for (const size of [1, 3, 7, text.length]) {
      const parser = new SseParser();
      const messages = [];
      for (let at = 0; at < text.length; at += size)
        messages.push(...parser.push(text.slice(at, at + size)));
      expect(messages).toEqual([
        { event: "batch", data: '{"a":1}', id: "7" },
        { event: "snapshot", data: '{"b":\n2}', id: "8" },
      ]);
    }
  });

  it("keeps an unfinished message until its blank line arrives", () => {
    const parser = new SseParser();
    expect(parser.push("event: batch\ndata: {}\n")).toEqual([]);
    expect(parser.push("\n")).toEqual([{ event: "batch", data: "{}" }]);
  });

  it("backs off 1 s doubling to 30 s", () => {
    expect([1, 2, 3, 4, 5, 6, 10].map(backoffMs)).toEqual([
      1000, 2000, 4000, 8000, 16000, 30000, 30000,
    ]);
  });
});
