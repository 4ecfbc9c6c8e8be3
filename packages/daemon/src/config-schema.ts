import { z } from "zod";

/** `[daemon]`: the loops daemon. */
export const daemonSchema = z
  .strictObject({
    /** Runs at once across all loops; more wait, visibly queued. */
    max_concurrent_runs: z.number().int().min(1).max(256).default(4),
    /** Loopback port for `--webhook` loops; 0 picks a free one (shown by `hedge daemon status`). */
    webhook_port: z.number().int().min(0).max(65535).default(0),
    /**
     * Where loops and runs are kept: absent, SQLite in `$HEDGE_HOME`; `redis://…` (or
     * `rediss://…`), a ledger shared by every daemon pointed at that server. Only the user's
     * config can set it (a project would otherwise read or inject loops).
     */
    store: z
      .string()
      .regex(/^rediss?:\/\/[^\s]+$/, 'write it as "redis://[:password@]host:port[/db]"')
      .optional(),
    /**
     * The gateway `--via-gateway` runs call; default: the one `hedge gateway serve` runs for this
     * home. Keys are made in this home, so it must be this home's gateway (or its fleet's).
     */
    gateway_url: z.url({ protocol: /^https?$/ }).optional(),
  })
  .prefault({});

/** Session events a loop can follow. */
export const HOOK_EVENTS = ["turn_completed", "turn_failed"] as const;

/**
 * `[hooks]`: loops to run when a session event happens, e.g. `turn_completed = ["tests"]`.
 * Only the user's config can set these (a project overlay cannot name programs to run).
 */
export const hooksSchema = z
  .strictObject({
    turn_completed: z.array(z.string().min(1)).default([]),
    turn_failed: z.array(z.string().min(1)).default([]),
  })
  .prefault({});

/** The config sections the daemon owns; the CLI composes them into the one config schema. */
export const daemonConfigShape = {
  daemon: daemonSchema,
  hooks: hooksSchema,
};

export type DaemonConfig = z.output<z.ZodObject<typeof daemonConfigShape>>;
export type HookEvent = (typeof HOOK_EVENTS)[number];
