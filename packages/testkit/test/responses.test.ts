import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startScriptedUpstream, type ScriptedUpstream } from "../src/index.js";
import { collect, openAiClient } from "./clients.js";

const calls = [
  { name: "shell", arguments: { command: ["ls", "-la"] } },
  { name: "apply_patch", arguments: { input: "*** Begin Patch\n*** End Patch" } },
];

describe("Responses API, parsed by the openai SDK", () => {
  let upstream: ScriptedUpstream;
  beforeAll(async () => {
    upstream = await startScriptedUpstream();
  });
  afterAll(() => upstream.close());
  beforeEach(() => upstream.reset());

  it("returns reasoning, text and usage without streaming", async () => {
    upstream.push({
      reasoning: "Think first.",
      text: "Done thinking.",
      usage: { inputTokens: 100, cachedTokens: 64, outputTokens: 30, reasoningTokens: 12 },
    });
    const response = await openAiClient(upstream).responses.create({
      model: "gpt-5-codex",
      input: "hello",
    });
    expect(response.id).toMatch(/^resp_/);
    expect(response.object).toBe("response");
    expect(response.status).toBe("completed");
    expect(response.output_text).toBe("Done thinking.");
    const [reasoning, message] = response.output;
    expect(reasoning?.type).toBe("reasoning");
    if (reasoning?.type === "reasoning") {
      expect(reasoning.id).toMatch(/^rs_/);
      expect(reasoning.summary).toEqual([{ type: "summary_text", text: "Think first." }]);
    }
    expect(message?.type === "message" && message.id.startsWith("msg_")).toBe(true);
    expect(response.usage).toEqual({
      input_tokens: 100,
      input_tokens_details: { cached_tokens: 64 },
      output_tokens: 30,
      output_tokens_details: { reasoning_tokens: 12 },
      total_tokens: 130,
    });
  });

  it("returns several function calls without streaming", async () => {
    upstream.push({ toolCalls: calls });
    const response = await openAiClient(upstream).responses.create({
      model: "gpt-5-codex",
      input: "go",
    });
    const functionCalls = response.output.filter((item) => item.type === "function_call");
    expect(
      functionCalls.map((item) => ({
        name: item.name,
        arguments: JSON.parse(item.arguments) as unknown,
      })),
    ).toEqual(calls);
    for (const item of functionCalls) {
      expect(item.id).toMatch(/^fc_/);
      expect(item.call_id).toMatch(/^call_/);
    }
  });

  it("streams events that the SDK's response stream accumulates into the final response", async () => {
    upstream.push({ reasoning: "Plan the change.", text: "Here is the plan.", toolCalls: calls });
    const stream = openAiClient(upstream).responses.stream({
      model: "gpt-5-codex",
      input: [{ role: "user", content: "plan it" }],
      include: ["reasoning.encrypted_content"],
      store: false,
    });
    const events = await collect(stream);
    const final = await stream.finalResponse();

    expect(events[0]?.type).toBe("response.created");
    expect(events[1]?.type).toBe("response.in_progress");
    expect(events.at(-1)?.type).toBe("response.completed");
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, index) => index));
    expect(events.some((event) => event.type === "response.reasoning_summary_text.delta")).toBe(
      true,
    );
    expect(events.some((event) => event.type === "response.function_call_arguments.delta")).toBe(
      true,
    );

    expect(final.output_text).toBe("Here is the plan.");
    const reasoning = final.output.find((item) => item.type === "reasoning");
    expect(reasoning?.type === "reasoning" && reasoning.summary[0]?.text).toBe("Plan the change.");
    expect(reasoning?.type === "reasoning" && typeof reasoning.encrypted_content).toBe("string");
    const functionCalls = final.output.filter((item) => item.type === "function_call");
    expect(
      functionCalls.map((item) => ({
        name: item.name,
        arguments: JSON.parse(item.arguments) as unknown,
      })),
    ).toEqual(calls);
  });

  it("streams text deltas that concatenate to the scripted text", async () => {
    upstream.push({ text: "one two three four" });
    const stream = await openAiClient(upstream).responses.create({
      model: "gpt-5",
      input: "count",
      stream: true,
    });
    const deltas: string[] = [];
    for await (const event of stream)
      if (event.type === "response.output_text.delta") deltas.push(event.delta);
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join("")).toBe("one two three four");
  });

  it("reports a max-tokens stop as an incomplete response", async () => {
    upstream.push({ text: "partial", stopReason: "max_tokens" });
    const final = await openAiClient(upstream)
      .responses.stream({ model: "gpt-5", input: "long" })
      .finalResponse();
    expect(final.status).toBe("incomplete");
    expect(final.incomplete_details?.reason).toBe("max_output_tokens");
  });
});
