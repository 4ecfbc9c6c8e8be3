import { describe, expect, it } from "vitest";
import { codecFor } from "@hedge/wire";
import { UsageTap, usageObject } from "./usage-tap.js";

const body = (value: unknown): Buffer => Buffer.from(JSON.stringify(value, null, 1));

describe("usageObject", () => {
  it("finds the top-level usage of a JSON answer, whatever the answer's text holds", () => {
    const answer = {
      id: "chatcmpl-1",
      choices: [
        {
          message: {
            content: 'the "usage": {"prompt_tokens": 999} of {braces} and "quotes" \\ too',
            tool_calls: [{ function: { name: "f", arguments: '{"usage":{"prompt_tokens":7}}' } }],
          },
        },
      ],
      usage: { prompt_tokens: 12, completion_tokens: 3, prompt_tokens_details: { cached: 2 } },
    };
    expect(usageObject(body(answer))).toEqual(answer.usage);
  });

  it("is undefined without a usage object (the caller parses the whole body)", () => {
    expect(usageObject(body({ id: "x", choices: [] }))).toBeUndefined();
    expect(usageObject(body({ type: "usage" }))).toBeUndefined();
    expect(usageObject(Buffer.from('{"usage": {"prompt_tokens": 1'))).toBeUndefined();
  });
});

describe("UsageTap on a JSON body", () => {
  it("reads usage in each wire's JSON shape", () => {
    const chat = new UsageTap(codecFor("chat"), false);
    chat.push(body({ choices: [], usage: { prompt_tokens: 5, completion_tokens: 2 } }));
    expect(chat.end()).toMatchObject({ input_tokens: 5, output_tokens: 2 });
    const messages = new UsageTap(codecFor("messages"), false);
    messages.push(body({ content: [], usage: { input_tokens: 9, output_tokens: 4 } }));
    expect(messages.end()).toMatchObject({ input_tokens: 9, output_tokens: 4 });
    const responses = new UsageTap(codecFor("responses"), false);
    const split = body({ output: [], usage: { input_tokens: 3, output_tokens: 1 } });
    responses.push(split.subarray(0, 10));
    responses.push(split.subarray(10));
    expect(responses.end()).toMatchObject({ input_tokens: 3, output_tokens: 1 });
  });
});
