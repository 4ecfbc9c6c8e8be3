import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { useScriptedGateway } from "./interop-tools.js";

// The official clients against `hedge gateway serve`, routed to an Anthropic-format upstream
// (`anth/…`) and to OpenAI-format upstreams (`oai/…` Chat, `resp/…` Responses).
const suite = useScriptedGateway({ providers: ["anth", "oai", "resp"] });

const weather = {
  name: "get_weather",
  description: "Weather for a city",
  parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
};
const toolReply = {
  text: "Checking both.",
  toolCalls: [
    { name: "get_weather", arguments: { city: "Paris" } },
    { name: "get_weather", arguments: { city: "Oslo" } },
  ],
  usage: { inputTokens: 40, outputTokens: 12 },
};

function openai(): OpenAI {
  return new OpenAI({
    baseURL: `${suite.gateway.url}/v1`,
    apiKey: "unused-on-loopback",
    maxRetries: 0,
  });
}
function anthropic(): Anthropic {
  return new Anthropic({ baseURL: suite.gateway.url, apiKey: "unused-on-loopback", maxRetries: 0 });
}

describe.each(["anth", "oai", "resp"])("through the gateway to %s", (provider) => {
  const model = `${provider}/model-x`;
  const upstreamPath = { anth: "/v1/messages", oai: "/v1/chat/completions", resp: "/v1/responses" }[
    provider
  ]!;

  it("openai Chat, not streaming, with parallel tool calls", async () => {
    suite.upstream.push(toolReply);
    const completion = await openai().chat.completions.create({
      model,
      messages: [{ role: "user", content: "weather in Paris and Oslo?" }],
      tools: [{ type: "function", function: weather }],
    });
    const choice = completion.choices[0]!;
    expect(choice.finish_reason).toBe("tool_calls");
    expect(
      choice.message.tool_calls?.map((call) => call.type === "function" && call.function.name),
    ).toEqual(["get_weather", "get_weather"]);
    const args = choice.message.tool_calls!.map((call) =>
      call.type === "function" ? (JSON.parse(call.function.arguments) as unknown) : null,
    );
    expect(args).toEqual([{ city: "Paris" }, { city: "Oslo" }]);
    expect(completion.usage?.completion_tokens).toBe(12);
    const received = suite.upstream.requestsTo(upstreamPath);
    expect(received).toHaveLength(1);
    expect((received[0]!.body as { model: string }).model).toBe("model-x");
  });

  it("openai Chat, streaming, text and usage", async () => {
    suite.upstream.push({
      text: "Hello there, friend.",
      usage: { inputTokens: 9, outputTokens: 4 },
    });
    const stream = openai().chat.completions.stream({
      model,
      messages: [{ role: "user", content: "hi" }],
      stream_options: { include_usage: true },
    });
    const final = await stream.finalChatCompletion();
    expect(final.choices[0]!.message.content).toBe("Hello there, friend.");
    expect(final.usage?.completion_tokens).toBe(4);
    expect(suite.upstream.requestsTo(upstreamPath)).toHaveLength(1);
  });

  it("openai Responses, streaming, with a function call", async () => {
    suite.upstream.push(toolReply);
    const stream = openai().responses.stream({
      model,
      input: "weather in Paris and Oslo?",
      tools: [
        { type: "function", name: weather.name, parameters: weather.parameters, strict: false },
      ],
    });
    const final = await stream.finalResponse();
    const calls = final.output.filter((item) => item.type === "function_call");
    expect(calls.map((call) => JSON.parse(call.arguments) as unknown)).toEqual([
      { city: "Paris" },
      { city: "Oslo" },
    ]);
    expect(final.usage?.output_tokens).toBe(12);
    expect(final.status).toBe("completed");
  });

  it("openai Responses, not streaming", async () => {
    suite.upstream.push({ text: "Plain answer." });
    const response = await openai().responses.create({ model, input: "hi" });
    expect(response.output_text).toBe("Plain answer.");
  });

  it("anthropic Messages, streaming, with tool_use", async () => {
    suite.upstream.push(toolReply);
    const message = await anthropic()
      .messages.stream({
        model,
        max_tokens: 256,
        messages: [{ role: "user", content: "weather in Paris and Oslo?" }],
        tools: [
          {
            name: weather.name,
            description: weather.description,
            input_schema: weather.parameters as never,
          },
        ],
      })
      .finalMessage();
    expect(message.stop_reason).toBe("tool_use");
    const uses = message.content.filter((block) => block.type === "tool_use");
    expect(uses.map((block) => block.input)).toEqual([{ city: "Paris" }, { city: "Oslo" }]);
    expect(message.content.find((block) => block.type === "text")).toMatchObject({
      text: "Checking both.",
    });
    expect(message.usage.output_tokens).toBe(12);
  });

  it("anthropic Messages, not streaming", async () => {
    suite.upstream.push({ text: "Short reply.", usage: { inputTokens: 7, outputTokens: 2 } });
    const message = await anthropic().messages.create({
      model,
      max_tokens: 64,
      messages: [{ role: "user", content: "hi" }],
    });
    expect(message.content).toEqual([{ type: "text", text: "Short reply." }]);
    expect(message.stop_reason).toBe("end_turn");
    expect(message.usage.output_tokens).toBe(2);
  });

  it("returns upstream errors in the caller's wire format", async () => {
    suite.upstream.push({ status: 400, error: { message: "bad thing in request" } });
    const error = await openai()
      .chat.completions.create({ model, messages: [{ role: "user", content: "x" }] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).message).toContain(
      "bad thing in request",
    );
    suite.upstream.push({ status: 400, error: { message: "bad thing again" } });
    const anthropicError = await anthropic()
      .messages.create({ model, max_tokens: 8, messages: [{ role: "user", content: "x" }] })
      .catch((caught: unknown) => caught);
    expect(anthropicError).toBeInstanceOf(Anthropic.BadRequestError);
  });
});

describe("gateway HTTP surface", () => {
  it("names the route in x-hedge-route and answers health, HEAD / and metrics", async () => {
    suite.upstream.push({ text: "ok" });
    const { response } = await openai()
      .chat.completions.create({
        model: "anth/claude-x",
        messages: [{ role: "user", content: "hi" }],
      })
      .withResponse();
    expect(response.headers.get("x-hedge-route")).toBe("provider=anth; model=claude-x");
    expect(response.headers.get("x-request-id")).toMatch(/^req_/);
    expect((await fetch(`${suite.gateway.url}/healthz`)).status).toBe(200);
    expect((await fetch(suite.gateway.url, { method: "HEAD" })).status).toBe(200);
    const metrics = await (await fetch(`${suite.gateway.url}/metrics`)).text();
    expect(metrics).toMatch(
      /hedge_gateway_requests_total\{provider="anth",inbound="chat",status="200"\} \d+/,
    );
    expect(metrics).toContain("hedge_gateway_request_duration_seconds_bucket");
  });

  it("rejects an unknown model with 404 and a hosted provider by policy with 403", async () => {
    const missing = await fetch(`${suite.gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "nowhere/model", messages: [{ role: "user", content: "x" }] }),
    });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { message: string } }).error.message).toContain(
      "nowhere/model",
    );
    expect(suite.upstream.requests).toHaveLength(0);
  });

  it("limits the body size with 413 in the inbound format", async () => {
    const response = await fetch(`${suite.gateway.url}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", "anthropic-version": "2023-06-01" },
      body: JSON.stringify({
        model: "anth/x",
        max_tokens: 1,
        messages: [{ role: "user", content: "x".repeat(33 * 2 ** 20) }],
      }),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({
      type: "error",
      error: { type: "request_too_large" },
    });
  });
});
