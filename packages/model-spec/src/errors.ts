/**
 * The base of hedge's error hierarchy, shared by every package (each imports it from here).
 *
 * A HedgeError is a foreseeable problem: the CLI prints `message` (one line) and `hint` (the next
 * step), never a stack trace, and exits with `exitCode`.
 */
export class HedgeError extends Error {
  override name = "HedgeError";
  /** Stable machine-readable code, e.g. `config_invalid`, `policy_denied`. */
  readonly code: string;
  /** What the user can do next, one line. */
  readonly hint: string | undefined;
  /** Process exit code the CLI uses for this error. */
  readonly exitCode: number;

  constructor(
    code: string,
    message: string,
    options: { hint?: string; exitCode?: number; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? 1;
  }
}

/** Bad command-line input: exit code 2. */
export class UsageError extends HedgeError {
  override name = "UsageError";
  constructor(message: string, options: { hint?: string; code?: string } = {}) {
    super(options.code ?? "usage", message, {
      exitCode: 2,
      ...(options.hint === undefined ? {} : { hint: options.hint }),
    });
  }
}

export function isHedgeError(error: unknown): error is HedgeError {
  return error instanceof HedgeError;
}
