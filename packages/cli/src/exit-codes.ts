/** Process exit codes, documented in README. */
export const EXIT = {
  ok: 0,
  /** The command ran and failed (a doctor check failed, a turn failed, a request failed). */
  failed: 1,
  /** Bad usage: unknown command or flag, bad argument. */
  usage: 2,
  /** Config could not be read or is invalid. */
  config: 3,
  /** Interrupted by SIGINT/SIGTERM. */
  interrupted: 130,
} as const;
