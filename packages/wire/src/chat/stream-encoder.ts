import type { CanonicalEvent, CanonicalUsage } from "@hedge/model-spec";
import { truncatedStreamError, type StreamEncoder } from "../codec.js";
import { newWireId } from "../ids.js";
import { encodeOpenAIError } from "../openai-error.js";
import { encodeChatFinishReason } from "./finish.js";
import { encodeChatUsage } from "./usage.js";

/** Options of a Chat stream to a client. */
export interface ChatStreamEncoderOptions {
  /** Send the usage chunk (`choices: []`) before `[DONE]`: the client set `include_usage`. */
  includeUsage: boolean;
  /** Unix seconds for `created`; defaults to now. */
  created?: number;
}

/**
 * Canonical events -> Chat Completions `chat.completion.chunk` SSE frames. The JSON around
 * each delta is built once per response, so a chunk costs one `JSON.stringify` of its delta.
 */
export class ChatStreamEncoder implements StreamEncoder {
  private readonly includeUsage: boolean;
  private readonly created: number;
  private id = "";
  private model = "";
  private chunkHead = "";
  private started = false;
  private closed = false;
  private usage: CanonicalUsage | undefined;

  constructor(options: ChatStreamEncoderOptions) {
    this.includeUsage = options.includeUsage;
    this.created = options.created ?? Math.floor(Date.now() / 1000);
  }

  encode(event: CanonicalEvent): string {
    if (this.closed) return "";
    if (event.type === "response.start") return this.start(event.id, event.model);
    const head = this.started ? "" : this.start(newWireId("chatcmpl-"), "");
    switch (event.type) {
      case "text.delta":
        return head + this.chunk(`{"content":${JSON.stringify(event.text)}}`);
      case "reasoning.delta":
        // Signatures and encrypted reasoning have no Chat field; only text is forwarded.
        return event.text.length === 0
          ? head
          : head + this.chunk(`{"reasoning_content":${JSON.stringify(event.text)}}`);
      case "tool_call.start":
        return (
          head +
          this.chunk(
            JSON.stringify({
              tool_calls: [
                {
                  index: event.index,
                  id: event.id,
                  type: "function",
                  function: { name: event.name, arguments: "" },
                },
              ],
            }),
          )
        );
      case "tool_call.delta":
        return (
          head +
          this.chunk(
            JSON.stringify({
              tool_calls: [{ index: event.index, function: { arguments: event.arguments } }],
            }),
          )
        );
      case "tool_call.end":
        return head;
      case "usage":
        this.usage = event.usage;
        return head;
      case "finish":
        return head + this.close(encodeChatFinishReason(event.reason));
      case "error":
        this.closed = true;
        return (
          head +
          `data: ${JSON.stringify(encodeOpenAIError(event.error.status ?? 500, event.error.type, event.error.message))}\n\n`
        );
    }
  }

  end(): string {
    if (this.closed) return "";
    return this.encode({ type: "error", error: truncatedStreamError("server_error") });
  }

  private start(id: string, model: string): string {
    if (this.started) return "";
    this.started = true;
    this.id = id;
    this.model = model;
    this.chunkHead = `data: {"id":${JSON.stringify(id)},"object":"chat.completion.chunk","created":${this.created},"model":${JSON.stringify(model)},"choices":[{"index":0,"delta":`;
    return this.chunk(`{"role":"assistant","content":""}`);
  }

  private chunk(deltaJson: string, finishReason: string | null = null): string {
    const finish = finishReason === null ? "null" : `"${finishReason}"`;
    return `${this.chunkHead}${deltaJson},"logprobs":null,"finish_reason":${finish}}]}\n\n`;
  }

  private close(finishReason: string): string {
    this.closed = true;
    let frames = this.chunk("{}", finishReason);
    if (this.includeUsage && this.usage !== undefined) {
      const usageChunk = {
        id: this.id,
        object: "chat.completion.chunk",
        created: this.created,
        model: this.model,
        choices: [],
        usage: encodeChatUsage(this.usage),
      };
      frames += `data: ${JSON.stringify(usageChunk)}\n\n`;
    }
    return `${frames}data: [DONE]\n\n`;
  }
}
