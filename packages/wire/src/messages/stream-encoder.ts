import {
  emptyUsage,
  type CanonicalEvent,
  type CanonicalUsage,
  type FinishReason,
} from "@hedge/model-spec";
import { truncatedStreamError, type StreamEncoder } from "../codec.js";
import { newWireId } from "../ids.js";
import { encodeMessagesErrorFrame } from "./error.js";
import { encodeMessagesStopReason } from "./finish.js";
import { encodeMessagesUsage } from "./usage.js";

interface PendingToolCall {
  id: string;
  name: string;
  arguments: string;
  ended: boolean;
}

type OpenBlock =
  { kind: "text" | "thinking"; index: number } | { kind: "tool"; index: number; toolIndex: number };

/**
 * Canonical events -> Anthropic Messages SSE: `message_start` (with usage), one
 * `content_block_start/delta/stop` run per block, `message_delta` (stop_reason, usage),
 * `message_stop`. Anthropic blocks cannot interleave, so a tool call that starts while
 * another is open is buffered and replayed when the open one ends; text that arrives while a
 * tool block is open is held until the tool calls are done.
 */
export class MessagesStreamEncoder implements StreamEncoder {
  private id = "";
  private model: string;
  private started = false;
  private closed = false;
  private usage: CanonicalUsage = emptyUsage();
  private nextBlockIndex = 0;
  private open: OpenBlock | undefined;
  private readonly pendingTools = new Map<number, PendingToolCall>();
  private heldText = "";

  /** `model` names the model in `message_start` when the upstream did not say. */
  constructor(model = "") {
    this.model = model;
  }

  encode(event: CanonicalEvent): string {
    if (this.closed) return "";
    switch (event.type) {
      case "response.start":
        this.id = event.id;
        if (event.model.length > 0) this.model = event.model;
        return "";
      case "usage":
        this.usage = event.usage;
        // Delaying message_start to the first non-start event lets it carry input usage.
        return this.start();
      case "text.delta":
        if (this.open?.kind === "tool") {
          this.heldText += event.text;
          return this.start();
        }
        return (
          this.start() +
          this.openBlock("text") +
          frame("content_block_delta", this.deltaJson("text_delta", "text", event.text))
        );
      case "reasoning.delta":
        return this.start() + this.reasoning(event.text, event.signature);
      case "tool_call.start":
        this.pendingTools.set(event.index, {
          id: event.id,
          name: event.name,
          arguments: "",
          ended: false,
        });
        return this.start() + (this.open?.kind === "tool" ? "" : this.openNextTool());
      case "tool_call.delta": {
        if (this.open?.kind === "tool" && this.open.toolIndex === event.index) {
          return frame(
            "content_block_delta",
            this.deltaJson("input_json_delta", "partial_json", event.arguments),
          );
        }
        const pending = this.pendingTools.get(event.index);
        if (pending !== undefined) pending.arguments += event.arguments;
        return "";
      }
      case "tool_call.end": {
        const pending = this.pendingTools.get(event.index);
        if (pending !== undefined) pending.ended = true;
        if (this.open?.kind !== "tool" || this.open.toolIndex !== event.index) return "";
        this.pendingTools.delete(event.index);
        return this.closeBlock() + this.openNextTool();
      }
      case "finish":
        return this.start() + this.close(event.reason);
      case "error":
        this.closed = true;
        return (
          this.start() +
          encodeMessagesErrorFrame(event.error.status ?? 500, event.error.type, event.error.message)
        );
    }
  }

  end(): string {
    if (this.closed) return "";
    return this.encode({ type: "error", error: truncatedStreamError("api_error") });
  }

  private start(): string {
    if (this.started) return "";
    this.started = true;
    const message = {
      id: this.id || newWireId("msg_"),
      type: "message",
      role: "assistant",
      model: this.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: encodeMessagesUsage(this.usage),
    };
    return frame("message_start", JSON.stringify({ type: "message_start", message }));
  }

  private reasoning(text: string, signature: string | undefined): string {
    let frames = "";
    if (text.length > 0 || signature !== undefined) frames += this.openBlock("thinking");
    if (text.length > 0)
      frames += frame("content_block_delta", this.deltaJson("thinking_delta", "thinking", text));
    if (signature !== undefined) {
      frames += frame(
        "content_block_delta",
        this.deltaJson("signature_delta", "signature", signature),
      );
    }
    return frames;
  }

  /** Open a text or thinking block unless one of that kind is already open. */
  private openBlock(kind: "text" | "thinking"): string {
    if (this.open?.kind === kind) return "";
    const frames = this.closeBlock();
    const index = this.nextBlockIndex++;
    this.open = { kind, index };
    const block =
      kind === "text"
        ? { type: "text", text: "" }
        : { type: "thinking", thinking: "", signature: "" };
    return (
      frames +
      frame(
        "content_block_start",
        JSON.stringify({ type: "content_block_start", index, content_block: block }),
      )
    );
  }

  /** Open the lowest pending tool call; replay its buffered arguments; close it if it ended. */
  private openNextTool(): string {
    let frames = "";
    for (const [toolIndex, pending] of this.pendingTools) {
      frames += this.closeBlock();
      const index = this.nextBlockIndex++;
      this.open = { kind: "tool", index, toolIndex };
      const block = { type: "tool_use", id: pending.id, name: pending.name, input: {} };
      frames += frame(
        "content_block_start",
        JSON.stringify({ type: "content_block_start", index, content_block: block }),
      );
      if (pending.arguments.length > 0) {
        frames += frame(
          "content_block_delta",
          this.deltaJson("input_json_delta", "partial_json", pending.arguments),
        );
      }
      if (!pending.ended) return frames;
      this.pendingTools.delete(toolIndex);
    }
    return frames + this.closeBlock() + this.flushHeldText();
  }

  private flushHeldText(): string {
    if (this.heldText.length === 0) return "";
    const text = this.heldText;
    this.heldText = "";
    return (
      this.openBlock("text") +
      frame("content_block_delta", this.deltaJson("text_delta", "text", text))
    );
  }

  private closeBlock(): string {
    if (this.open === undefined) return "";
    const index = this.open.index;
    this.open = undefined;
    return frame("content_block_stop", `{"type":"content_block_stop","index":${index}}`);
  }

  private close(reason: FinishReason): string {
    // Tool calls still pending at finish are closed with what arrived.
    for (const pending of this.pendingTools.values()) pending.ended = true;
    let frames = this.closeBlock() + this.openNextTool() + this.closeBlock();
    this.closed = true;
    const delta = { stop_reason: encodeMessagesStopReason(reason), stop_sequence: null };
    frames += frame(
      "message_delta",
      JSON.stringify({ type: "message_delta", delta, usage: encodeMessagesUsage(this.usage) }),
    );
    return frames + frame("message_stop", `{"type":"message_stop"}`);
  }

  private deltaJson(type: string, field: string, value: string): string {
    const index = this.open?.index ?? 0;
    return `{"type":"content_block_delta","index":${index},"delta":{"type":"${type}","${field}":${JSON.stringify(value)}}}`;
  }
}

function frame(event: string, data: string): string {
  return `event: ${event}\ndata: ${data}\n\n`;
}
