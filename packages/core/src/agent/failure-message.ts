/** Why a call failed, in one line: `interrupted` once the signal aborted, else the error's message. */
export function failureMessage(error: unknown, signal: AbortSignal): string {
  if (signal.aborted) return "interrupted";
  return error instanceof Error ? error.message : String(error);
}
