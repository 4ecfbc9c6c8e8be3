import { HedgeError } from "./errors.js";

/**
 * A gateway failure with the HTTP status and wire error type a client should see.
 * `retryable` tells a caller whether the same request may succeed later.
 */
export class GatewayError extends HedgeError {
  override name = "GatewayError";
  readonly status: number;
  /** OpenAI-style error type (`invalid_request_error`, `rate_limit_error`, ...). */
  readonly type: string;
  readonly retryable: boolean;
  readonly requestId: string | undefined;
  /** Epoch ms when the same request may succeed (a rate limit's reset), when known. */
  readonly retryAt: number | undefined;

  constructor(
    code: string,
    message: string,
    options: {
      status: number;
      type?: string;
      hint?: string;
      retryable?: boolean;
      requestId?: string;
      retryAt?: number | undefined;
      cause?: unknown;
    },
  ) {
    super(code, message, {
      ...(options.hint === undefined ? {} : { hint: options.hint }),
      ...(options.cause === undefined ? {} : { cause: options.cause }),
    });
    this.status = options.status;
    this.type = options.type ?? defaultType(options.status);
    this.retryable = options.retryable ?? false;
    this.requestId = options.requestId;
    this.retryAt = options.retryAt;
  }
}

function defaultType(status: number): string {
  if (status === 401) return "authentication_error";
  if (status === 403) return "permission_error";
  if (status === 404) return "not_found_error";
  if (status === 413) return "request_too_large";
  if (status === 429) return "rate_limit_error";
  if (status >= 500) return "api_error";
  return "invalid_request_error";
}
