import { describe, expect, it } from "vitest";
import { formatSseFrame, parseSseText, SseParser, type SseMessage } from "./sse.js";

const STREAM =
  ": keep-alive comment\r\n" +
  "event: message_start\r\n" +
  'data: {"a":1}\r\n' +
  "\r\n" +
  "data: first line\n" +
  "data: second line — ünïcødé ✓\n" +
  "id: 7\n" +
  "\n" +
  "event: ping\r" +
  "data:no-space\r" +
  "\r" +
  "retry: 10\n" +
  "event: ignored-without-data\n" +
  "\n" +
  "data: [DONE]\n\n";

const EXPECTED: SseMessage[] = [
  { event: "message_start", data: '{"a":1}' },
  { data: "first line\nsecond line — ünïcødé ✓", id: "7" },
  { event: "ping", data: "no-space", id: "7" },
  { data: "[DONE]", id: "7" },
];

describe("SseParser", () => {
  it("parses CRLF, CR and LF line ends, multi-line data, comments and ids", () => {
    expect(parseSseText(STREAM)).toEqual(EXPECTED);
  });

  it("gives the same events whatever byte the stream is split at", () => {
    const bytes = new TextEncoder().encode(STREAM);
    for (let split = 0; split <= bytes.length; split++) {
      const parser = new SseParser();
      const messages = [
        ...parser.push(bytes.subarray(0, split)),
        ...parser.push(bytes.subarray(split)),
        ...parser.end(),
      ];
      expect(messages, `split at byte ${split}`).toEqual(EXPECTED);
    }
  });

  it("gives the same events fed one byte at a time", () => {
    const parser = new SseParser();
    const messages: SseMessage[] = [];
    for (const byte of new TextEncoder().encode(STREAM))
      messages.push(...parser.push(Uint8Array.of(byte)));
    messages.push(...parser.end());
    expect(messages).toEqual(EXPECTED);
  });

  it("drops a final event that lacks its blank line, and a leading BOM", () => {
    expect(parseSseText("\uFEFFdata: a\n\ndata: cut off")).toEqual([{ data: "a" }]);
  });

  it("drops a leading BOM that arrives as bytes, split anywhere, and only that one", () => {
    const bytes = new TextEncoder().encode("\uFEFFdata: \uFEFFa\n\n");
    for (let split = 0; split <= 4; split++) {
      const parser = new SseParser();
      const messages = [
        ...parser.push(bytes.subarray(0, split)),
        ...parser.push(bytes.subarray(split)),
        ...parser.end(),
      ];
      expect(messages, `split at byte ${split}`).toEqual([{ data: "\uFEFFa" }]);
    }
  });

  it("dispatches an event whose blank line is a chunk's last CR at once; a LF next completes it", () => {
    const parser = new SseParser();
    expect(parser.push("data: a\r\r")).toEqual([{ data: "a" }]);
    expect(parser.push("\ndata: b\r")).toEqual([]);
    expect(parser.push("\ndata: c\r\n\r\n")).toEqual([{ data: "b\nc" }]);
  });

  it("reads a field without a colon as empty, and only the exact field names", () => {
    expect(parseSseText("data\n\ndatum: x\ndat: y\ndata:z\nevents: e\n\n")).toEqual([
      { data: "" },
      { data: "z" },
    ]);
  });

  it("decodes invalid UTF-8 as replacement characters, never failing", () => {
    const parser = new SseParser();
    const messages = [
      ...parser.push(Uint8Array.of(0x64, 0x61, 0x74, 0x61, 0x3a, 0xff, 0x0a, 0x0a)),
    ];
    expect(messages).toEqual([{ data: "\uFFFD" }]);
  });
});

describe("formatSseFrame", () => {
  it("writes frames the parser reads back, splitting multi-line data", () => {
    const text = formatSseFrame('{"x":1}', "message_delta") + formatSseFrame("two\nlines");
    expect(text).toBe('event: message_delta\ndata: {"x":1}\n\ndata: two\ndata: lines\n\n');
    expect(parseSseText(text)).toEqual([
      { event: "message_delta", data: '{"x":1}' },
      { data: "two\nlines" },
    ]);
  });
});
