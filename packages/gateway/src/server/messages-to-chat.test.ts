import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { codecFor } from "@hedge/wire";
import { JsonTape, scanJson } from "./json-scan.js";
import { messagesToChat } from "./messages-to-chat.js";

const UPSTREAM_MODEL = "gpt-4.1-mini";

/** What the parse-everything path sends upstream (as JSON), and what it reports dropped. */
function parsePath(raw: Buffer): { body: unknown; dropped: readonly string[] } | "refused" {
  let canonical;
  try {
    canonical = codecFor("messages").decodeRequest(JSON.parse(raw.toString("utf8")));
  } catch {
    return "refused";
  }
  const encoded = codecFor("chat").encodeRequest(canonical, UPSTREAM_MODEL);
  return { body: JSON.parse(JSON.stringify(encoded)), dropped: canonical.dropped };
}

/** The fast path's output for a body, or undefined when it falls back. */
function fastPath(raw: Buffer): { body: unknown; dropped: readonly string[] } | undefined {
  const tape = new JsonTape();
  const scan = scanJson(raw, tape);
  if (scan.kind !== "object") return undefined;
  const fast = messagesToChat(raw, { members: scan.members, tape }, UPSTREAM_MODEL);
  if (fast === undefined) return undefined;
  return { body: JSON.parse(fast.body.toString("utf8")), dropped: fast.dropped };
}

/**
 * The fast path either falls back or sends exactly what the parse path sends (deep-equal after
 * JSON.parse, dropped fields included). True when it did not fall back.
 */
function expectSameAsParsePath(raw: Buffer): boolean {
  const expected = parsePath(raw);
  const fast = fastPath(raw);
  if (expected === "refused") {
    expect(fast).toBeUndefined();
    return false;
  }
  if (fast === undefined) return false;
  expect({ text: raw.toString("utf8"), ...fast }).toEqual({
    text: raw.toString("utf8"),
    ...expected,
  });
  return true;
}

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

/** A Claude Code–shaped request the fast path maps whole. */
const claudeCodeBody = {
  model: "claude-sonnet-4-5",
  max_tokens: 32000,
  stream: true,
  system: [
    { type: "text", text: "x-anthropic-billing-header: cc_version=2.1; cch=ab12;" },
    { type: "text", text: "You are Claude Code.", cache_control: { type: "ephemeral" } },
    { type: "text", text: "Env: linux." },
  ],
  messages: [
    {
      role: "user",
      content: [{ type: "text", text: "fix it", cache_control: { type: "ephemeral" } }],
    },
    {
      role: "assistant",
      content: [
        { type: "thinking", thinking: "Look first.", signature: "sig" },
        { type: "text", text: "Looking." },
        { type: "tool_use", id: "toolu_1", name: "Bash", input: { command: "ls" } },
      ],
    },
    {
      role: "user",
      content: [
        {
          type: "tool_result",
          tool_use_id: "toolu_1",
          content: [{ type: "text", text: "a.ts" }, "not a block", { type: "text", text: "b" }],
          is_error: false,
        },
        { type: "tool_result", tool_use_id: "toolu_2", content: "plain" },
        { type: "text", text: "go on" },
      ],
    },
    { role: "system", content: [{ type: "text", text: "mid-conversation note" }] },
  ],
  tools: [
    {
      name: "Bash",
      description: "Run a command",
      input_schema: { type: "object", properties: { command: { type: "string" } } },
    },
    { type: "custom", name: "Read", input_schema: { type: "object", properties: {} } },
  ],
  thinking: { type: "enabled", budget_tokens: 4000 },
  metadata: { user_id: '{"device_id":"d","session_id":"s-1"}' },
  context_management: { edits: [] },
  top_k: 5,
  temperature: 0.2,
  top_p: 0.9,
  stop_sequences: ["\n\nHuman:"],
};

/** The translation test's Messages body: one tool round trip. */
const roundTripBody = {
  model: "hedge/executor",
  stream: false,
  system: "Be brief.",
  max_tokens: 1024,
  messages: [
    { role: "user", content: "Weather in Paris?" },
    {
      role: "assistant",
      content: [{ type: "tool_use", id: "call_1", name: "get_weather", input: { city: "Paris" } }],
    },
    { role: "user", content: [{ type: "tool_result", tool_use_id: "call_1", content: "18C" }] },
  ],
  tools: [
    {
      name: "get_weather",
      input_schema: { type: "object", properties: { city: { type: "string" } } },
    },
  ],
};

async function agentRequest(stream: boolean): Promise<Buffer> {
  const file = resolve(import.meta.dirname, "../../../../scripts/bench/agent-request.ts");
  const module = (await import(pathToFileURL(file).href)) as {
    messagesAgentRequest: (model: string, stream: boolean) => string;
  };
  return Buffer.from(module.messagesAgentRequest("claude-sonnet-4-5", stream));
}

describe("messagesToChat (Messages in, Chat out, from the inbound bytes)", () => {
  it("sends what the parse path sends for Claude Code and round-trip requests", () => {
    expect(expectSameAsParsePath(json(claudeCodeBody))).toBe(true);
    expect(expectSameAsParsePath(json(roundTripBody))).toBe(true);
    expect(expectSameAsParsePath(Buffer.from(JSON.stringify(roundTripBody, null, 2)))).toBe(true);
  });

  it("sends what the parse path sends for the 95 KB agent request, streaming or not", async () => {
    for (const stream of [true, false]) {
      const raw = await agentRequest(stream);
      expect(raw.length).toBeGreaterThan(90_000);
      expect(expectSameAsParsePath(raw)).toBe(true);
    }
  });

  it("falls back where it cannot map exactly, and the parse path still answers", () => {
    const cases: string[] = [
      // A repeated key: JSON.parse keeps the last, another parser may keep the first.
      '{"model":"a","model":"b","messages":[]}',
      '{"model":"a","\\u006dodel":"b","messages":[]}',
      '{"model":"a","messages":[{"role":"user","content":"x","content":"y"}]}',
      // A __proto__ key, which a schema library's copy turns into a prototype.
      '{"model":"a","messages":[{"role":"user","content":[{"type":"text","__proto__":{"text":"p"}}]}]}',
      '{"model":"a","__proto__":{"x":1},"messages":[]}',
      // Numbers JSON.parse → JSON.stringify does not send as written.
      '{"model":"a","messages":[],"tools":[{"name":"t","input_schema":{"maximum":1e400}}]}',
      '{"model":"a","messages":[],"tools":[{"name":"t","input_schema":{"maximum":12345678901234567890}}]}',
      '{"model":"a","messages":[],"tools":[{"name":"t","input_schema":{"minimum":1.0}}]}',
      '{"model":"a","messages":[],"tools":[{"name":"t","input_schema":{"minimum":-0}}]}',
      // A schema key with an escape: repeated keys are found by bytes, so it is not copied.
      '{"model":"a","messages":[],"tools":[{"name":"t","input_schema":{"a":1,"\\u0061":2}}]}',
      '{"model":"a","messages":[],"max_tokens":1e400}',
      // Images, tool_choice and hosted tools need the canonical path.
      '{"model":"a","messages":[{"role":"user","content":[{"type":"image","source":{"type":"url","url":"https://x/y.png"}}]}]}',
      '{"model":"a","messages":[],"tool_choice":{"type":"any"}}',
      '{"model":"a","messages":[],"tools":[{"type":"web_search_20250305","name":"web_search"}]}',
      // Fields the decoder drops or refuses.
      '{"model":"a","messages":[{"role":"assistant","content":[{"type":"redacted_thinking","data":"x"}]}]}',
      '{"model":"a","messages":[],"stream":"yes"}',
      '{"model":"","messages":[]}',
      '{"model":"a","messages":[{"role":"tool","content":"x"}]}',
      '{"model":"a","messages":{}}',
      '{"model":"a","messages":[],"0":1}',
    ];
    for (const text of cases) {
      expect({ text, fast: fastPath(Buffer.from(text)) }).toEqual({ text, fast: undefined });
      expectSameAsParsePath(Buffer.from(text));
    }
    // Bytes that are not UTF-8 in a string: JSON.parse reads U+FFFD, so they are not copied.
    const invalid = Buffer.concat([
      Buffer.from('{"model":"a","messages":[{"role":"user","content":"'),
      Buffer.from([0xc3, 0x28, 0xff]),
      Buffer.from('"}]}'),
    ]);
    expect(fastPath(invalid)).toBeUndefined();
    expectSameAsParsePath(invalid);
  });

  it("copies strings that hold escapes, JSON-looking text and non-ASCII as the same values", () => {
    const text =
      '{\\"model\\":\\"b\\",\\"messages\\":[]} \\" \\\\ \\/ \\u00e9 \\ud83d\\ude00 é 😀 \u2028';
    const raw = Buffer.from(
      `{"\\u006dodel":"a","messages":[{"role":"user","content":"${text}"},` +
        `{"role":"assistant","content":[{"\\u0074ype":"text","text":"${text}"},` +
        `{"type":"tool_use","id":"\\u0069d","name":"n","input":{"q":"${text}","n":1.50}}]}],` +
        `"tools":[{"name":"t","description":"${text}","input_schema":{"type":"object"}}]}`,
    );
    expect(expectSameAsParsePath(raw)).toBe(true);
  });

  it("never reuses one request's tools for another whose tools differ by a byte", () => {
    const withTool = (name: string, maximum: number): Buffer =>
      json({
        ...roundTripBody,
        tools: [{ name, input_schema: { type: "object", maximum } }],
      });
    // Same length, one byte apart; each sent twice, interleaved.
    for (const raw of [withTool("tool_a", 1), withTool("tool_b", 1), withTool("tool_a", 2)])
      for (let round = 0; round < 2; round += 1) expect(expectSameAsParsePath(raw)).toBe(true);
  });

  it("matches the parse path on generated requests (property test)", () => {
    const random = seeded(0x5eed);
    let fast = 0;
    const total = 2000;
    for (let index = 0; index < total; index += 1) {
      const raw = Buffer.from(serialise(generateRequest(random), random));
      if (expectSameAsParsePath(raw)) fast += 1;
    }
    // Most generated requests stay on the fast path, so the comparison checks it.
    expect(fast).toBeGreaterThan(total / 3);
    expect(fast).toBeLessThan(total);
  });
});

// ---- request generator ----

type Random = () => number;

/** mulberry32: a small deterministic generator, so a failure reproduces. */
function seeded(seed: number): Random {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(random: Random, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)] as T;
const chance = (random: Random, p: number): boolean => random() < p;

const FRAGMENTS = [
  "",
  "hello",
  '{"model":"evil","messages":[]}',
  '"quoted"',
  "back\\slash",
  "line\nbreak\ttab",
  "é ü 中文",
  "😀",
  "\u2028\u2029",
  "\u0001",
  "x-anthropic-billing-header: cc_version=1; cch=0;",
  "</script>",
];

function text(random: Random): string {
  let out = "";
  const count = Math.floor(random() * 3);
  for (let index = 0; index < count; index += 1) out += pick(random, FRAGMENTS);
  return out;
}

/** A literal number token, written as given (`1e400` stays `1e400` in the bytes). */
class NumberToken {
  constructor(readonly text: string) {}
}
/** A member written under a key the generator cannot put in an object literal. */
const PROTO = "__proto_key__";

const NUMBERS = [
  "1",
  "0",
  "200",
  "-3",
  "1.5",
  "0.25",
  "1e400",
  "12345678901234567890",
  "1.0",
  "-0",
];

function jsonValue(random: Random, depth: number): unknown {
  const kind = Math.floor(random() * (depth > 2 ? 4 : 6));
  switch (kind) {
    case 0:
      return text(random);
    case 1:
      return chance(random, 0.85)
        ? Math.floor(random() * 1000)
        : new NumberToken(pick(random, NUMBERS));
    case 2:
      return pick(random, [true, false, null]);
    case 3:
      return text(random);
    case 4:
      return Array.from({ length: Math.floor(random() * 3) }, () => jsonValue(random, depth + 1));
    default: {
      const object: Record<string, unknown> = {};
      const count = Math.floor(random() * 4);
      for (let index = 0; index < count; index += 1)
        object[pick(random, ["type", "description", "items", "enum", "a", "b"]) + String(index)] =
          jsonValue(random, depth + 1);
      if (chance(random, 0.02)) object[PROTO] = 1;
      return object;
    }
  }
}

function withCache(random: Random, block: Record<string, unknown>): Record<string, unknown> {
  if (chance(random, 0.15)) block["cache_control"] = { type: "ephemeral" };
  return block;
}

function textBlock(random: Random): Record<string, unknown> {
  const block: Record<string, unknown> = { type: "text" };
  if (chance(random, 0.95)) block["text"] = chance(random, 0.97) ? text(random) : 42;
  return withCache(random, block);
}

function userContent(random: Random): unknown {
  if (chance(random, 0.4)) return text(random);
  const blocks: unknown[] = [];
  const count = Math.floor(random() * 4);
  for (let index = 0; index < count; index += 1) {
    const kind = random();
    if (kind < 0.45) blocks.push(textBlock(random));
    else if (kind < 0.95) {
      const result: Record<string, unknown> = { type: "tool_result" };
      if (chance(random, 0.95)) result["tool_use_id"] = `toolu_${index}${text(random)}`;
      result["content"] = chance(random, 0.5)
        ? text(random)
        : chance(random, 0.9)
          ? [textBlock(random), ...(chance(random, 0.3) ? ["loose", 3, { no: "type" }] : [])]
          : 7;
      if (chance(random, 0.3)) result["is_error"] = chance(random, 0.5);
      blocks.push(withCache(random, result));
    } else blocks.push({ type: "image", source: { type: "url", url: "https://x/y.png" } });
  }
  return blocks;
}

function assistantContent(random: Random): unknown {
  if (chance(random, 0.3)) return text(random);
  const blocks: unknown[] = [];
  const count = Math.floor(random() * 4);
  for (let index = 0; index < count; index += 1) {
    const kind = random();
    if (kind < 0.35) blocks.push(textBlock(random));
    else if (kind < 0.5) blocks.push({ type: "thinking", thinking: text(random), signature: "s" });
    else if (kind < 0.97) {
      const call: Record<string, unknown> = { type: "tool_use", id: `toolu_${index}` };
      if (chance(random, 0.95)) call["name"] = `tool_${text(random)}`;
      if (chance(random, 0.9))
        call["input"] = chance(random, 0.9) ? jsonValueObject(random) : [1, 2];
      blocks.push(withCache(random, call));
    } else blocks.push({ type: "redacted_thinking", data: "x" });
  }
  return blocks;
}

function jsonValueObject(random: Random): Record<string, unknown> {
  const value = jsonValue(random, 3);
  return { path: text(random), value, n: chance(random, 0.8) ? 1 : new NumberToken("2.50") };
}

function generateRequest(random: Random): Record<string, unknown> {
  const request: Record<string, unknown> = {
    model: chance(random, 0.98) ? `claude-${text(random)}x` : "",
  };
  if (chance(random, 0.7)) request["stream"] = chance(random, 0.5);
  if (chance(random, 0.7))
    request["max_tokens"] = chance(random, 0.95)
      ? 1 + Math.floor(random() * 32000)
      : new NumberToken(pick(random, ["1e400", "0", "1.5", "4096.0"]));
  if (chance(random, 0.6)) {
    request["system"] = chance(random, 0.5)
      ? text(random)
      : Array.from({ length: Math.floor(random() * 4) }, () => textBlock(random));
  }
  const messages: unknown[] = [];
  const count = Math.floor(random() * 6);
  for (let index = 0; index < count; index += 1) {
    const role = pick(random, ["user", "user", "assistant", "assistant", "system"]);
    const content =
      role === "user"
        ? userContent(random)
        : role === "assistant"
          ? assistantContent(random)
          : chance(random, 0.5)
            ? text(random)
            : [textBlock(random)];
    const message: Record<string, unknown> = { role, content };
    if (chance(random, 0.05)) message["name"] = "extra";
    messages.push(message);
  }
  request["messages"] = messages;
  if (chance(random, 0.6)) {
    request["tools"] = Array.from({ length: Math.floor(random() * 4) }, (_, index) => {
      const tool: Record<string, unknown> = { name: `tool_${index}${text(random)}` };
      if (chance(random, 0.1)) tool["type"] = pick(random, ["custom", "bash_20250124"]);
      if (chance(random, 0.7)) tool["description"] = text(random);
      if (chance(random, 0.97))
        tool["input_schema"] = {
          type: "object",
          properties: jsonValue(random, 1),
          required: ["path"],
        };
      return withCache(random, tool);
    });
  }
  if (chance(random, 0.2)) request["temperature"] = pick(random, [0, 0.5, 1, 2]);
  if (chance(random, 0.1)) request["top_p"] = 0.9;
  if (chance(random, 0.2)) request["stop_sequences"] = chance(random, 0.5) ? [] : [text(random)];
  if (chance(random, 0.2)) request["metadata"] = { user_id: `user_session_${text(random)}` };
  if (chance(random, 0.1)) request["thinking"] = { type: "enabled", budget_tokens: 2048 };
  if (chance(random, 0.1)) request["top_k"] = 3;
  if (chance(random, 0.1)) request["unknown_field"] = { x: 1 };
  if (chance(random, 0.04)) request["tool_choice"] = { type: "auto" };
  return request;
}

/**
 * JSON text of a generated value, written the many ways a client may: random whitespace, keys and
 * string characters sometimes as `\u` escapes, and sometimes a decoy member under a repeated key
 * before the real one (JSON.parse keeps the last).
 */
function serialise(value: unknown, random: Random): string {
  const space = (): string => (chance(random, 0.1) ? pick(random, [" ", "\n", "\t ", "\r\n"]) : "");
  const string = (value: string): string => {
    let out = '"';
    for (const char of value) {
      if (chance(random, 0.08)) {
        for (let unit = 0; unit < char.length; unit += 1)
          out += `\\u${char.charCodeAt(unit).toString(16).padStart(4, "0")}`;
      } else out += JSON.stringify(char).slice(1, -1);
    }
    return `${out}"`;
  };
  const write = (item: unknown): string => {
    if (item instanceof NumberToken) return item.text;
    if (typeof item === "string") return string(item);
    if (Array.isArray(item)) return `[${space()}${item.map(write).join(`${space()},`)}${space()}]`;
    if (typeof item === "object" && item !== null) {
      const members: string[] = [];
      for (const [key, member] of Object.entries(item)) {
        const name = key === PROTO ? "__proto__" : key;
        if (chance(random, 0.01)) members.push(`${string(name)}:${space()}"decoy"`);
        members.push(`${string(name)}${space()}:${space()}${write(member)}`);
      }
      return `{${space()}${members.join(`,${space()}`)}${space()}}`;
    }
    return JSON.stringify(item);
  };
  return write(value);
}
