import type { Endpoint, ScriptErrorSpec } from "./script.js";

/** OpenAI's error body: `{ error: { message, type, param, code } }`. */
export interface OpenAiErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

/** Anthropic's error body: `{ type: "error", error: { type, message } }`. */
export interface AnthropicErrorBody {
  type: "error";
  error: { type: string; message: string };
  request_id?: string;
}

const openAiTypes: Record<number, { type: string; code: string | null }> = {
  400: { type: "invalid_request_error", code: null },
  401: { type: "invalid_request_error", code: "invalid_api_key" },
  403: { type: "invalid_request_error", code: "unsupported_country_region_territory" },
  404: { type: "invalid_request_error", code: "model_not_found" },
  429: { type: "requests", code: "rate_limit_exceeded" },
  500: { type: "server_error", code: null },
  503: { type: "server_error", code: null },
};

const anthropicTypes: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  402: "billing_error",
  403: "permission_error",
  404: "not_found_error",
  413: "request_too_large",
  429: "rate_limit_error",
  500: "api_error",
  504: "timeout_error",
  529: "overloaded_error",
};

/** Builds an OpenAI-shaped error body; type and code default from the status. */
export function openAiErrorBody(
  status: number,
  spec: Partial<ScriptErrorSpec> = {},
): OpenAiErrorBody {
  const defaults = openAiTypes[status] ?? {
    type: status >= 500 ? "server_error" : "invalid_request_error",
    code: null,
  };
  return {
    error: {
      message: spec.message ?? `Scripted error with status ${status}.`,
      type: spec.type ?? defaults.type,
      param: spec.param ?? null,
      code: spec.code ?? defaults.code,
    },
  };
}

/** Builds an Anthropic-shaped error body; the type defaults from the status. */
export function anthropicErrorBody(
  status: number,
  spec: Partial<ScriptErrorSpec> = {},
  requestId?: string,
): AnthropicErrorBody {
  const type =
    spec.type ?? anthropicTypes[status] ?? (status >= 500 ? "api_error" : "invalid_request_error");
  const body: AnthropicErrorBody = {
    type: "error",
    error: { type, message: spec.message ?? `Scripted error with status ${status}.` },
  };
  if (requestId !== undefined) body.request_id = requestId;
  return body;
}

/** The error body a given endpoint's provider would send. */
export function errorBodyFor(
  endpoint: Endpoint | undefined,
  status: number,
  spec: Partial<ScriptErrorSpec>,
  requestId?: string,
): OpenAiErrorBody | AnthropicErrorBody {
  return endpoint === "messages"
    ? anthropicErrorBody(status, spec, requestId)
    : openAiErrorBody(status, spec);
}

/** A scripted answer: a status and the exact body a provider sends with it. */
export interface ProviderRefusal {
  status: number;
  body: OpenAiErrorBody | AnthropicErrorBody | { error: Record<string, string | null> };
}

/**
 * 401/403 refusals exactly as the providers send them, for tests of what each one marks:
 * a refused key (the credential) or a permission the key lacks (one model, or a region).
 * Usable as a script reply as they are (`{ status, body }`).
 */
export const providerRefusals = {
  /** OpenAI, a wrong or revoked key. */
  openAiInvalidKey: {
    status: 401,
    body: {
      error: {
        message:
          "Incorrect API key provided: sk-proj-********************abcd. You can find your API key at https://platform.openai.com/account/api-keys.",
        type: "invalid_request_error",
        param: null,
        code: "invalid_api_key",
      },
    },
  },
  /** OpenAI, a project without access to one model (every other model still works). */
  openAiModelAccess: (model: string): ProviderRefusal => ({
    status: 403,
    body: {
      error: {
        message: `Project \`proj_8sW2xQ0aTbLk3mNp5rVy7uZc\` does not have access to model \`${model}\``,
        type: "invalid_request_error",
        param: null,
        code: "model_not_found",
      },
    },
  }),
  /** OpenAI, a request from an unsupported region (nothing works from here, the key is fine). */
  openAiRegion: {
    status: 403,
    body: {
      error: {
        code: "unsupported_country_region_territory",
        message: "Country, region, or territory not supported",
        param: null,
        type: "request_forbidden",
      },
    },
  },
  /** Anthropic, a wrong or revoked key. */
  anthropicInvalidKey: {
    status: 401,
    body: { type: "error", error: { type: "authentication_error", message: "invalid x-api-key" } },
  },
  /** Anthropic, a Claude subscription login whose OAuth token was revoked. */
  anthropicOAuthRevoked: {
    status: 401,
    body: {
      type: "error",
      error: {
        type: "authentication_error",
        message: "OAuth token has been revoked. Please obtain a new token.",
      },
    },
  },
  /** Anthropic, a key without permission for the resource (a model) asked for. */
  anthropicPermission: {
    status: 403,
    body: {
      type: "error",
      error: {
        type: "permission_error",
        message: "Your API key does not have permission to use the specified resource.",
      },
    },
  },
} satisfies Record<string, ProviderRefusal | ((model: string) => ProviderRefusal)>;
