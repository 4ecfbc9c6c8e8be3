import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import {
  ADMIN_API_HEADER,
  ADMIN_API_PREFIX,
  ADMIN_API_VERSION,
  GatewayError,
  canonicalRequestSchema,
  gatewayStatusViewSchema,
  isHedgeError,
  routeExplanationViewSchema,
  routeQuerySchema,
  statsGroupingSchema,
  statsViewSchema,
  tokenCountViewSchema,
  usageReportViewSchema,
  verdictRecordSchema,
  type AdminErrorBody,
} from "@hedge/model-spec";
import type { Caller } from "../engine/route.js";
import type { GatewayAdmin } from "../views/gateway-admin.js";
import { readJsonBody, type BodyLimits } from "./read-body.js";
import { isJsonContentType, notJson } from "./request-guard.js";

/** What one admin request carries besides the request itself (decided by the server first). */
export interface AdminRequest {
  path: string;
  /** The query string, without `?`. */
  query: string;
  /** The account of the key that called, and its own provider keys (see `callerOf`). */
  caller: Caller | undefined;
  requestId: string;
  body: BodyLimits;
}

/** Whether a path is hedge's admin API (`/hedge/v1/...`). */
export function isAdminPath(path: string): boolean {
  return path.startsWith(ADMIN_API_PREFIX);
}

/**
 * hedge's admin API, behind the same key (and keyless loopback rules) as the model routes:
 * `POST route/explain`, `POST verdicts`, `GET usage`, `GET status?limit=`,
 * `GET stats?since=ISO&by=role|model|profile|provider`, `POST count-tokens` (a canonical
 * request; the routed provider's own count, or `{count:null}` when it has no count endpoint). Answers are the model-spec views,
 * checked against their schemas before they leave; failures are `{error:{code,message,hint}}`.
 */
export async function serveAdmin(
  admin: GatewayAdmin,
  req: IncomingMessage,
  res: ServerResponse,
  request: AdminRequest,
): Promise<void> {
  try {
    const endpoint = request.path.slice(ADMIN_API_PREFIX.length);
    const method = req.method ?? "GET";
    const expected = METHODS[endpoint];
    if (!expected) {
      req.resume();
      throw new GatewayError("not_found", `no admin endpoint ${request.path}`, {
        status: 404,
        hint: `hedge's admin API serves ${Object.keys(METHODS)
          .map((name) => `${ADMIN_API_PREFIX}${name}`)
          .join(", ")}`,
      });
    }
    if (method !== expected) {
      req.resume();
      throw new GatewayError("method_not_allowed", `${request.path} expects ${expected}`, {
        status: 405,
      });
    }
    const params = new URLSearchParams(request.query);
    switch (endpoint) {
      case "route/explain": {
        const query = parse(routeQuerySchema, await readJson(req, request.body), "the route query");
        const view = await admin.explain(query, request.caller);
        return answer(res, request.requestId, 200, routeExplanationViewSchema.parse(view));
      }
      case "count-tokens": {
        const body = parse(
          canonicalRequestSchema,
          await readJson(req, request.body),
          "the request to count",
        );
        const view = await admin.countTokens(body, request.caller);
        return answer(res, request.requestId, 200, tokenCountViewSchema.parse(view));
      }
      case "verdicts": {
        const verdict = parse(
          verdictRecordSchema,
          await readJson(req, request.body),
          "the verdict",
        );
        admin.recordVerdict(verdict);
        res.writeHead(204, {
          "x-request-id": request.requestId,
          [ADMIN_API_HEADER]: ADMIN_API_VERSION,
        });
        res.end();
        return;
      }
      case "usage":
        return answer(
          res,
          request.requestId,
          200,
          usageReportViewSchema.parse(await admin.usage()),
        );
      case "status": {
        const query = parse(statusParams, Object.fromEntries(params), "the status query");
        const view = await admin.status(query.limit === undefined ? {} : { limit: query.limit });
        return answer(res, request.requestId, 200, gatewayStatusViewSchema.parse(view));
      }
      default: {
        const query = parse(statsParams, Object.fromEntries(params), "the stats query");
        const view = await admin.stats({ since: query.since, by: query.by });
        return answer(res, request.requestId, 200, statsViewSchema.parse(view));
      }
    }
  } catch (error) {
    sendAdminError(res, asAdminError(error), request.requestId);
  }
}

/** Each endpoint (after the prefix) and its method. */
const METHODS: Record<string, "GET" | "POST"> = {
  "route/explain": "POST",
  verdicts: "POST",
  "count-tokens": "POST",
  usage: "GET",
  status: "GET",
  stats: "GET",
};

const statusParams = z.object({
  limit: z.coerce.number().int().min(1).max(10_000).optional(),
});

const statsParams = z.object({
  /** An ISO time or epoch ms. */
  since: z.string().transform((text, context) => {
    const at = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
    if (Number.isNaN(at)) {
      context.addIssue({ code: "custom", message: "expected an ISO time or epoch ms" });
      return z.NEVER;
    }
    return at;
  }),
  by: statsGroupingSchema.default("role"),
});

async function readJson(req: IncomingMessage, limits: BodyLimits): Promise<unknown> {
  if (!isJsonContentType(req.headers["content-type"])) {
    req.resume();
    throw notJson(req.headers["content-type"]);
  }
  return (await readJsonBody(req, limits)).body;
}

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? ` at ${issue.path.join(".")}` : "";
  throw new GatewayError(
    "invalid_request",
    `${what} is invalid${where}: ${issue?.message ?? "unexpected shape"}`,
    { status: 400 },
  );
}

function answer(res: ServerResponse, requestId: string, status: number, body: unknown): void {
  res.writeHead(status, {
    "content-type": "application/json",
    "x-request-id": requestId,
    [ADMIN_API_HEADER]: ADMIN_API_VERSION,
  });
  res.end(JSON.stringify(body));
}

/** A failure as the admin API answers it: `{error:{code,message,hint}}` and the status. */
export function sendAdminError(res: ServerResponse, error: GatewayError, requestId: string): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const body: AdminErrorBody = {
    error: {
      code: error.code,
      message: error.message,
      ...(error.hint === undefined ? {} : { hint: error.hint }),
    },
  };
  answer(res, requestId, error.status, body);
}

function asAdminError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  if (isHedgeError(error)) {
    return new GatewayError(error.code, error.message, {
      status: 400,
      ...(error.hint === undefined ? {} : { hint: error.hint }),
    });
  }
  // A view that fails its own schema, a Store that fails: the gateway's fault, said plainly.
  const message = error instanceof Error ? error.message : String(error);
  return new GatewayError("internal", `gateway admin error: ${message}`, { status: 500 });
}
