import type { CanonicalError } from "@hedge/model-spec";
import { statusForErrorType } from "./codec.js";
import { numberField, objectField, stringField, type JsonObject } from "./json.js";

/** OpenAI-style error body (Chat Completions and Responses): `{error:{message,type,param,code}}`. */
export function encodeOpenAIError(
  status: number,
  type: string,
  message: string,
  code?: string,
): { error: { message: string; type: string; param: null; code: string | null } } {
  return {
    error: {
      message,
      type: openAIErrorType(status, type),
      param: null,
      code: code ?? openAIErrorCode(status, type),
    },
  };
}

function openAIErrorType(status: number, type: string): string {
  if (type.length > 0 && type !== "error") return type;
  if (status === 429) return "rate_limit_error";
  if (status >= 500) return "server_error";
  return "invalid_request_error";
}

function openAIErrorCode(status: number, type: string): string | null {
  if (type === "insufficient_quota") return "insufficient_quota";
  return status === 429 ? "rate_limit_exceeded" : null;
}

/** Canonical error from an OpenAI-style `error` object (or any object with message/type/code). */
export function decodeOpenAIError(error: JsonObject | undefined, status?: number): CanonicalError {
  const type = stringField(error, "type") ?? stringField(error, "code") ?? "api_error";
  const message = stringField(error, "message") ?? "the upstream reported an error";
  const resolvedStatus = status ?? numberField(error, "status") ?? statusForErrorType(type);
  return resolvedStatus === undefined
    ? { type, message }
    : { status: resolvedStatus, type, message };
}

/** The nested `error` object of a body, or the body itself when it has no `error` field. */
export function errorObjectOf(body: JsonObject): JsonObject {
  return objectField(body, "error") ?? body;
}
