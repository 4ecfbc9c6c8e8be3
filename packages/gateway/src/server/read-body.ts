import type { IncomingMessage } from "node:http";
import { GatewayError } from "@hedge/model-spec";
import { isJsonObject } from "@hedge/wire";
import type { Deadlines } from "./deadlines.js";
import { JsonTape, scanJson } from "./json-scan.js";
import { RequestBody } from "./request-body.js";

/** How much of a request body is read, and for how long. */
export interface BodyLimits {
  bytes: number;
  /** The whole body must have arrived this long after the headers (`gateway.body_timeout`). */
  timeoutMs: number;
  /** Keeps the `timeoutMs` deadline of every body being read (one timer per server). */
  deadlines: Deadlines;
}

/** The request body as a JSON object, and as received. */
export async function readJsonBody(
  req: IncomingMessage,
  limits: BodyLimits,
): Promise<{ body: Record<string, unknown>; raw: Buffer }> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limits.bytes) {
    req.resume();
    throw tooLarge(limits.bytes);
  }
  const raw = await readBody(req, limits);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString("utf8"));
  } catch {
    throw notJson();
  }
  if (!isJsonObject(parsed)) throw notObject();
  return { body: parsed, raw };
}

/**
 * A model request's body: checked as JSON in one pass over its bytes, refused as `readJsonBody`
 * refuses it, but not built (see `RequestBody`): routing reads a few top-level members only.
 * With `translated` (no provider speaks the body's wire) it is parsed at once instead; with
 * `withTape` the scan also notes where each nested value ends (for a translation from the bytes).
 */
export async function readRequestBody(
  req: IncomingMessage,
  limits: BodyLimits,
  translated: boolean,
  withTape = false,
): Promise<RequestBody> {
  if (translated) {
    const { body, raw } = await readJsonBody(req, limits);
    return new RequestBody(raw, undefined, body);
  }
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limits.bytes) {
    req.resume();
    throw tooLarge(limits.bytes);
  }
  const raw = await readBody(req, limits);
  const tape = withTape ? new JsonTape() : undefined;
  const scan = scanJson(raw, tape);
  if (scan.kind === "invalid") throw notJson();
  if (scan.kind === "not_object") throw notObject();
  return new RequestBody(raw, scan.members, undefined, tape);
}

function notJson(): GatewayError {
  return new GatewayError("invalid_json", "the request body is not valid JSON", { status: 400 });
}

function notObject(): GatewayError {
  return new GatewayError("invalid_json", "the request body must be a JSON object", {
    status: 400,
  });
}

/**
 * The request body, failing past `limits.bytes` or when it has not all arrived within
 * `limits.timeoutMs` (a client trickling its body must not hold a socket and a request forever).
 * With events and the server's deadlines: no async iterator, no timer per request.
 */
function readBody(req: IncomingMessage, limits: BodyLimits): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const giveUp = (error: GatewayError): void => {
      stopWaiting();
      req.off("data", onData);
      // Keep the socket flowing so the answer reaches a client that is still sending.
      req.resume();
      reject(error);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limits.bytes) return giveUp(tooLarge(limits.bytes));
      chunks.push(chunk);
    };
    const stopWaiting = limits.deadlines.start(() => giveUp(bodyTimeout(limits.timeoutMs)));
    req.on("data", onData);
    req.once("end", () => {
      stopWaiting();
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks));
    });
    req.once("error", (error) => {
      stopWaiting();
      reject(error);
    });
  });
}

function tooLarge(limit: number): GatewayError {
  return new GatewayError(
    "body_too_large",
    `the request body exceeds ${Math.round(limit / 2 ** 20)} MiB`,
    {
      status: 413,
      type: "request_too_large",
    },
  );
}

function bodyTimeout(timeoutMs: number): GatewayError {
  return new GatewayError(
    "body_timeout",
    `the request body did not arrive within ${timeoutMs / 1000} s`,
    {
      status: 408,
      type: "invalid_request_error",
      hint: "send the whole body at once, or raise gateway.body_timeout",
    },
  );
}
