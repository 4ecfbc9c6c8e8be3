import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  errorReply,
  rateLimitedReply,
  startScriptedUpstream,
  type ScriptedUpstream,
} from "../src/index.js";
import { anthropicClient, collect, openAiClient } from "./clients.js";

const chatRequest = { model: "gpt-4.1", messages: [{ role: "user" as const, content: "hi" }] };
const messagesRequest = {
  model: "claude-haiku-4-5",
  max_tokens: 64,
  messages: [{ role: "user" as const, content: "hi" }],
};

describe("faults, as the official clients see them", () => {
  let upstream: ScriptedUpstream;
  beforeAll(async () => {
    upstream = await startScriptedUpstream();
  });
  afterAll(() => upstream.close());
  beforeEach(() => upstream.reset());

  it("a 429 with retry-after reaches the openai SDK as a RateLimitError in OpenAI's shape", async () => {
    upstream.push(
      rateLimitedReply({
        retryAfterSeconds: 20,
        headers: { "x-ratelimit-remaining-requests": "0" },
      }),
    );
    const error = await openAiClient(upstream)
      .chat.completions.create(chatRequest)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    const apiError = error as InstanceType<typeof OpenAI.APIError>;
    expect(apiError.status).toBe(429);
    expect(apiError.headers?.get("retry-after")).toBe("20");
    expect(apiError.headers?.get("x-ratelimit-remaining-requests")).toBe("0");
    expect(apiError.code).toBe("rate_limit_exceeded");
    expect(apiError.requestID).toMatch(/^req_/);
  });

  it("a 429 reaches the anthropic SDK as a RateLimitError in Anthropic's shape", async () => {
    upstream.push(rateLimitedReply({ retryAfterSeconds: 3, message: "slow down" }));
    const error = await anthropicClient(upstream)
      .messages.create(messagesRequest)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    const apiError = error as InstanceType<typeof Anthropic.APIError>;
    expect(apiError.status).toBe(429);
    expect(apiError.headers?.get("retry-after")).toBe("3");
    expect(apiError.error).toMatchObject({
      type: "error",
      error: { type: "rate_limit_error", message: "slow down" },
    });
  });

  it("serves any status with a raw body", async () => {
    upstream.push({
      status: 503,
      body: "upstream connect error",
      headers: { "content-type": "text/plain" },
    });
    const error = await openAiClient(upstream)
      .chat.completions.create(chatRequest)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(503);
  });

  it("an overloaded error uses the provider's type for the status", async () => {
    upstream.push(errorReply(529, { message: "Overloaded" }));
    const error = await anthropicClient(upstream)
      .messages.create(messagesRequest)
      .catch((caught: unknown) => caught);
    expect((error as InstanceType<typeof Anthropic.APIError>).status).toBe(529);
    expect((error as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
      error: { type: "overloaded_error" },
    });
  });

  it("latency before the first byte and between chunks still yields the full reply", async () => {
    upstream.push({ text: "slow but complete", latencyMs: 30, chunkIntervalMs: 5 });
    const final = await openAiClient(upstream)
      .chat.completions.stream(chatRequest)
      .finalChatCompletion();
    expect(final.choices[0]?.message.content).toBe("slow but complete");
  });

  describe("a disconnect after N chunks", () => {
    it("fails an openai chat stream", async () => {
      upstream.push({ text: "this will be cut off midway", disconnectAfterChunks: 2 });
      const stream = await openAiClient(upstream).chat.completions.create({
        ...chatRequest,
        stream: true,
      });
      await expect(collect(stream)).rejects.toThrow();
    });

    it("fails an anthropic message stream", async () => {
      upstream.push({ text: "this will be cut off midway", disconnectAfterChunks: 3 });
      await expect(
        anthropicClient(upstream).messages.stream(messagesRequest).finalMessage(),
      ).rejects.toThrow();
    });

    it("fails a non-streaming request as a connection error", async () => {
      upstream.push({ text: "never sent", disconnectAfterChunks: 0 });
      await expect(
        openAiClient(upstream).chat.completions.create(chatRequest),
      ).rejects.toBeInstanceOf(OpenAI.APIConnectionError);
    });
  });

  describe("a malformed chunk", () => {
    it("fails an openai chat stream", async () => {
      upstream.push({ text: "a b c d", malformedChunkAt: 2 });
      const stream = await openAiClient(upstream, { quiet: true }).chat.completions.create({
        ...chatRequest,
        stream: true,
      });
      await expect(collect(stream)).rejects.toThrow(SyntaxError);
    });

    it("fails an openai responses stream", async () => {
      upstream.push({ text: "a b c d", malformedChunkAt: 4 });
      await expect(
        openAiClient(upstream, { quiet: true })
          .responses.stream({ model: "gpt-5", input: "x" })
          .finalResponse(),
      ).rejects.toThrow();
    });

    it("fails an anthropic stream", async () => {
      upstream.push({ text: "a b c d", malformedChunkAt: 3 });
      await expect(
        anthropicClient(upstream, { quiet: true }).messages.stream(messagesRequest).finalMessage(),
      ).rejects.toThrow();
    });
  });

  describe("a stream without its terminal event", () => {
    it.each([
      [
        "/v1/chat/completions",
        { ...chatRequest, stream: true },
        "data: [DONE]",
        '"finish_reason":"stop"',
      ],
      [
        "/v1/responses",
        { model: "gpt-5", input: "x", stream: true },
        "event: response.completed",
        "event: response.output_text.done",
      ],
      [
        "/v1/messages",
        { ...messagesRequest, stream: true },
        "event: message_stop",
        "event: message_delta",
      ],
    ])("%s ends cleanly after everything but it", async (path, body, terminal, before) => {
      upstream.push({ text: "a b c", omitTerminalEvent: true }, { text: "a b c" });
      const post = () =>
        fetch(`${upstream.url}${path}`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        }).then((response) => response.text());
      const cut = await post();
      const whole = await post();
      expect(cut).toContain(before);
      expect(cut).not.toContain(terminal);
      expect(whole).toContain(terminal);
    });
  });

  describe("an error event after a 200", () => {
    it("throws an APIError from the openai chat stream", async () => {
      upstream.push({
        text: "a b c",
        streamError: { afterChunks: 2, message: "backend went away" },
      });
      const stream = await openAiClient(upstream).chat.completions.create({
        ...chatRequest,
        stream: true,
      });
      await expect(collect(stream)).rejects.toThrow(/backend went away/);
    });

    it("throws an overloaded APIError from the anthropic stream", async () => {
      upstream.push({ text: "a b c", streamError: { afterChunks: 3 } });
      const error = await anthropicClient(upstream)
        .messages.stream(messagesRequest)
        .finalMessage()
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(Anthropic.APIError);
      expect((error as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
        type: "error",
        error: { type: "overloaded_error" },
      });
    });

    it("ends a responses stream with an error event and no completed response", async () => {
      upstream.push({ text: "a b c", streamError: { afterChunks: 4, message: "server blew up" } });
      const stream = await openAiClient(upstream).responses.create({
        model: "gpt-5",
        input: "x",
        stream: true,
      });
      const events = await collect(stream);
      const last = events.at(-1);
      expect(last?.type).toBe("error");
      expect(last?.type === "error" && last.message).toBe("server blew up");
      expect(last?.sequence_number).toBe(4);
      expect(events.some((event) => event.type === "response.completed")).toBe(false);
    });

    it("reports response.failed as a failed final response", async () => {
      upstream.push({
        text: "a b c",
        streamError: { afterChunks: 3, event: "response.failed", message: "nope" },
      });
      const final = await openAiClient(upstream)
        .responses.stream({ model: "gpt-5", input: "x" })
        .finalResponse();
      expect(final.status).toBe("failed");
      expect(final.error?.message).toBe("nope");
    });
  });

  describe("when the script runs out", () => {
    it("answers a clear 500 in OpenAI's shape", async () => {
      const error = await openAiClient(upstream)
        .chat.completions.create(chatRequest)
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(OpenAI.InternalServerError);
      expect((error as Error).message).toMatch(/ran out of replies/);
    });

    it("answers a clear 500 in Anthropic's shape naming the unmatched replies", async () => {
      upstream.push({ match: { model: "claude-opus-4-1" }, text: "not for you" });
      const error = await anthropicClient(upstream)
        .messages.create(messagesRequest)
        .catch((caught: unknown) => caught);
      expect((error as InstanceType<typeof Anthropic.APIError>).status).toBe(500);
      expect((error as Error).message).toMatch(/no scripted reply matches.*model=claude-opus-4-1/);
    });
  });

  it("close() ends a stream still in flight", async () => {
    const local = await startScriptedUpstream({
      script: { replies: [{ text: "one two three four five six", chunkIntervalMs: 60_000 }] },
    });
    const stream = await openAiClient(local).chat.completions.create({
      ...chatRequest,
      stream: true,
    });
    const drained = collect(stream);
    await local.close();
    await expect(drained).rejects.toThrow();
  });
});
