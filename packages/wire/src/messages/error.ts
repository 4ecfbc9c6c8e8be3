import type { CanonicalError } from "@hedge/model-spec";
import { anthropicErrorType, statusForErrorType } from "../codec.js";
import { objectField, stringField, type JsonObject } from "../json.js";

/** Anthropic error body: `{type:"error",error:{type,message}}`. */
export function encodeMessagesError(
  status: number,
  type: string,
  message: string,
): { type: "error"; error: { type: string; message: string } } {
  return { type: "error", error: { type: anthropicErrorType(status, type), message } };
}

/** Mid-stream Anthropic error frame (`event: error`). */
export function encodeMessagesErrorFrame(status: number, type: string, message: string): string {
  return `event: error\ndata: ${JSON.stringify(encodeMessagesError(status, type, message))}\n\n`;
}

/** Canonical error of an Anthropic error body. */
export function decodeMessagesError(body: JsonObject): CanonicalError {
  const error = objectField(body, "error") ?? body;
  const type = stringField(error, "type") ?? "api_error";
  const message = stringField(error, "message") ?? "the upstream reported an error";
  const status = statusForErrorType(type);
  return status === undefined ? { type, message } : { status, type, message };
}
