import type {
  CanonicalError,
  CanonicalEvent,
  CanonicalUsage,
  FinishReason,
} from "@hedge/model-spec";
import { truncatedStreamError, type StreamEncoder } from "../codec.js";
import { newWireId } from "../ids.js";
import type { JsonObject } from "../json.js";
import { reasoningEncryptedContent } from "./carried-thinking.js";
import { responseObject } from "./response-object.js";

/** Options of a Responses stream to a client. */
export interface ResponsesStreamEncoderOptions {
  /** Model named when the upstream did not say. */
  model?: string;
  /** Flattened tool names to re-nest as `{namespace, name}` (see `namespacedToolNames`). */
  namespacedTools?: ReadonlyMap<string, { namespace: string; name: string }>;
  /** Unix seconds for `created_at`; defaults to now. */
  createdAt?: number;
}

interface OpenText {
  outputIndex: number;
  itemId: string;
  text: string;
  /** Reasoning only: a summary part was opened (only once text arrived). */
  partOpen: boolean;
  encrypted?: string;
  /** Anthropic thinking signature, carried to the client in `encrypted_content`. */
  signature?: string;
}

interface OpenCall {
  outputIndex: number;
  item: JsonObject;
  itemId: string;
  arguments: string;
}

/**
 * Canonical events -> OpenAI Responses SSE, the full family with `sequence_number`s:
 * `response.created`, `response.in_progress`, `output_item.added/done`, `content_part.added/done`,
 * `output_text.delta/done`, reasoning summary events, `function_call_arguments.delta/done`,
 * then `response.completed` / `response.incomplete` / `response.failed` with usage.
 */
export class ResponsesStreamEncoder implements StreamEncoder {
  private readonly namespacedTools: ReadonlyMap<string, { namespace: string; name: string }>;
  private readonly createdAt: number;
  private id = "";
  private model: string;
  private sequence = 0;
  private started = false;
  private closed = false;
  private usage: CanonicalUsage | undefined;
  private readonly output: JsonObject[] = [];
  private message: OpenText | undefined;
  private reasoning: OpenText | undefined;
  private readonly calls = new Map<number, OpenCall>();

  constructor(options: ResponsesStreamEncoderOptions = {}) {
    this.model = options.model ?? "";
    this.namespacedTools = options.namespacedTools ?? new Map();
    this.createdAt = options.createdAt ?? Math.floor(Date.now() / 1000);
  }

  encode(event: CanonicalEvent): string {
    if (this.closed) return "";
    if (event.type === "response.start") {
      this.id = event.id;
      if (event.model.length > 0) this.model = event.model;
      return this.start();
    }
    const head = this.start();
    switch (event.type) {
      case "text.delta":
        return head + this.closeReasoning() + this.textDelta(event.text);
      case "reasoning.delta":
        return (
          head +
          this.closeMessage() +
          this.reasoningDelta(event.text, event.encrypted_content, event.signature)
        );
      case "tool_call.start":
        return (
          head +
          this.closeMessage() +
          this.closeReasoning() +
          this.callStart(event.index, event.id, event.name)
        );
      case "tool_call.delta": {
        const call = this.calls.get(event.index);
        if (call === undefined) return head;
        call.arguments += event.arguments;
        return (
          head +
          this.frame(
            "response.function_call_arguments.delta",
            `"item_id":"${call.itemId}","output_index":${call.outputIndex},"delta":${JSON.stringify(event.arguments)}`,
          )
        );
      }
      case "tool_call.end":
        return head + this.callEnd(event.index, event.arguments);
      case "usage":
        this.usage = event.usage;
        return head;
      case "finish":
        return head + this.close(event.reason, undefined);
      case "error":
        return head + this.close("error", event.error);
    }
  }

  end(): string {
    if (this.closed) return "";
    return this.encode({ type: "error", error: truncatedStreamError("server_error") });
  }

  private start(): string {
    if (this.started) return "";
    this.started = true;
    if (this.id.length === 0) this.id = newWireId("resp_");
    const response = JSON.stringify(this.snapshot(undefined, undefined));
    return (
      this.frame("response.created", `"response":${response}`) +
      this.frame("response.in_progress", `"response":${response}`)
    );
  }

  private textDelta(text: string): string {
    let frames = "";
    if (this.message === undefined) {
      const outputIndex = this.output.length;
      const itemId = newWireId("msg_");
      this.message = { outputIndex, itemId, text: "", partOpen: true };
      const item = {
        id: itemId,
        type: "message",
        status: "in_progress",
        role: "assistant",
        content: [],
      };
      this.output.push(item);
      frames += this.frame(
        "response.output_item.added",
        `"output_index":${outputIndex},"item":${JSON.stringify(item)}`,
      );
      frames += this.frame(
        "response.content_part.added",
        `"item_id":"${itemId}","output_index":${outputIndex},"content_index":0,"part":${JSON.stringify(outputTextPart(""))}`,
      );
    }
    const message = this.message;
    message.text += text;
    return (
      frames +
      this.frame(
        "response.output_text.delta",
        `"item_id":"${message.itemId}","output_index":${message.outputIndex},"content_index":0,"delta":${JSON.stringify(text)},"logprobs":[]`,
      )
    );
  }

  private closeMessage(): string {
    const message = this.message;
    if (message === undefined) return "";
    this.message = undefined;
    const where = `"item_id":"${message.itemId}","output_index":${message.outputIndex},"content_index":0`;
    const part = outputTextPart(message.text);
    const item = {
      id: message.itemId,
      type: "message",
      status: "completed",
      role: "assistant",
      content: [part],
    };
    this.output[message.outputIndex] = item;
    return (
      this.frame(
        "response.output_text.done",
        `${where},"text":${JSON.stringify(message.text)},"logprobs":[]`,
      ) +
      this.frame("response.content_part.done", `${where},"part":${JSON.stringify(part)}`) +
      this.frame(
        "response.output_item.done",
        `"output_index":${message.outputIndex},"item":${JSON.stringify(item)}`,
      )
    );
  }

  private reasoningDelta(
    text: string,
    encrypted: string | undefined,
    signature: string | undefined,
  ): string {
    // A signature ends an Anthropic thinking block: later thinking is a block of its own.
    let frames =
      this.reasoning?.signature !== undefined && text.length > 0 ? this.closeReasoning() : "";
    if (this.reasoning === undefined) {
      const outputIndex = this.output.length;
      const itemId = newWireId("rs_");
      this.reasoning = { outputIndex, itemId, text: "", partOpen: false };
      const item = { id: itemId, type: "reasoning", summary: [] };
      this.output.push(item);
      frames += this.frame(
        "response.output_item.added",
        `"output_index":${outputIndex},"item":${JSON.stringify(item)}`,
      );
    }
    const reasoning = this.reasoning;
    if (encrypted !== undefined) reasoning.encrypted = encrypted;
    if (signature !== undefined) reasoning.signature = signature;
    if (text.length === 0) return frames;
    const where = `"item_id":"${reasoning.itemId}","output_index":${reasoning.outputIndex},"summary_index":0`;
    if (!reasoning.partOpen) {
      reasoning.partOpen = true;
      frames += this.frame(
        "response.reasoning_summary_part.added",
        `${where},"part":{"type":"summary_text","text":""}`,
      );
    }
    reasoning.text += text;
    return (
      frames +
      this.frame(
        "response.reasoning_summary_text.delta",
        `${where},"delta":${JSON.stringify(text)}`,
      )
    );
  }

  private closeReasoning(): string {
    const reasoning = this.reasoning;
    if (reasoning === undefined) return "";
    this.reasoning = undefined;
    let frames = "";
    const summary = reasoning.partOpen ? [{ type: "summary_text", text: reasoning.text }] : [];
    if (reasoning.partOpen) {
      const where = `"item_id":"${reasoning.itemId}","output_index":${reasoning.outputIndex},"summary_index":0`;
      frames += this.frame(
        "response.reasoning_summary_text.done",
        `${where},"text":${JSON.stringify(reasoning.text)}`,
      );
      frames += this.frame(
        "response.reasoning_summary_part.done",
        `${where},"part":${JSON.stringify(summary[0])}`,
      );
    }
    const item: JsonObject = { id: reasoning.itemId, type: "reasoning", summary };
    const encrypted = reasoningEncryptedContent(reasoning);
    if (encrypted !== undefined) item["encrypted_content"] = encrypted;
    this.output[reasoning.outputIndex] = item;
    return (
      frames +
      this.frame(
        "response.output_item.done",
        `"output_index":${reasoning.outputIndex},"item":${JSON.stringify(item)}`,
      )
    );
  }

  private callStart(index: number, callId: string, name: string): string {
    const outputIndex = this.output.length;
    const itemId = newWireId("fc_");
    const nested = this.namespacedTools.get(name);
    const item: JsonObject = {
      id: itemId,
      type: "function_call",
      status: "in_progress",
      arguments: "",
      call_id: callId,
      name: nested?.name ?? name,
    };
    if (nested !== undefined) item["namespace"] = nested.namespace;
    this.output.push(item);
    this.calls.set(index, { outputIndex, item, itemId, arguments: "" });
    return this.frame(
      "response.output_item.added",
      `"output_index":${outputIndex},"item":${JSON.stringify(item)}`,
    );
  }

  private callEnd(index: number, args: string): string {
    const call = this.calls.get(index);
    if (call === undefined) return "";
    this.calls.delete(index);
    const item = { ...call.item, arguments: args, status: "completed" };
    this.output[call.outputIndex] = item;
    return (
      this.frame(
        "response.function_call_arguments.done",
        `"item_id":"${call.itemId}","output_index":${call.outputIndex},"arguments":${JSON.stringify(args)}`,
      ) +
      this.frame(
        "response.output_item.done",
        `"output_index":${call.outputIndex},"item":${JSON.stringify(item)}`,
      )
    );
  }

  private close(reason: FinishReason, error: CanonicalError | undefined): string {
    let frames = this.closeMessage() + this.closeReasoning();
    for (const [index, call] of this.calls) frames += this.callEnd(index, call.arguments || "{}");
    this.closed = true;
    const response = JSON.stringify(this.snapshot(reason, error));
    if (error !== undefined) {
      // `error` is what the SDKs raise on; `response.failed` is what Codex reads.
      const code = JSON.stringify(error.type);
      frames += this.frame(
        "error",
        `"code":${code},"message":${JSON.stringify(error.message)},"param":null`,
      );
      return frames + this.frame("response.failed", `"response":${response}`);
    }
    const terminal =
      reason === "length" || reason === "content_filter"
        ? "response.incomplete"
        : "response.completed";
    return frames + this.frame(terminal, `"response":${response}`);
  }

  private snapshot(
    reason: FinishReason | undefined,
    error: CanonicalError | undefined,
  ): JsonObject {
    const fields = {
      id: this.id,
      model: this.model,
      createdAt: this.createdAt,
      reason,
      output: reason === undefined ? [] : this.output,
      usage: reason === undefined ? undefined : this.usage,
    };
    return error === undefined ? responseObject(fields) : responseObject({ ...fields, error });
  }

  /** One frame; `fields` is the JSON object body without braces, `type` and `sequence_number`. */
  private frame(type: string, fields: string): string {
    return `event: ${type}\ndata: {"type":"${type}",${fields},"sequence_number":${this.sequence++}}\n\n`;
  }
}

function outputTextPart(text: string): JsonObject {
  return { type: "output_text", text, annotations: [], logprobs: [] };
}
