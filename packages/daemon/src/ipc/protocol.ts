import { z } from "zod";

/** The first line each side sends. */
export const HELLO = { hello: "hedge-daemon", protocol: 1 } as const;
export const helloSchema = z.object({ hello: z.literal("hedge-daemon"), protocol: z.literal(1) });

/** One line is at most this long; a longer one ends the connection. */
export const MAX_LINE_BYTES = 1 << 20;

export const METHODS = [
  "daemon.status",
  "daemon.stop",
  "loops.changed",
  "loop.run",
  "run.cancel",
] as const;

export const requestSchema = z.strictObject({
  id: z.number().int().nonnegative(),
  method: z.enum(METHODS),
  params: z.record(z.string(), z.unknown()).default({}),
});
export type DaemonRequest = z.infer<typeof requestSchema>;

export const errorSchema = z.object({
  code: z.string(),
  message: z.string(),
  hint: z.string().optional(),
});

export const responseSchema = z.union([
  z.object({ id: z.number().nullable(), result: z.unknown() }),
  z.object({ id: z.number().nullable(), error: errorSchema }),
]);
export type DaemonResponse = z.infer<typeof responseSchema>;

export const loopRunParams = z.strictObject({ name: z.string().min(1).max(200) });
export const runCancelParams = z.strictObject({ runId: z.string().min(1).max(100) });

/** What `daemon.status` answers. */
export const statusSchema = z.object({
  daemonId: z.string(),
  pid: z.number(),
  startedAtMs: z.number(),
  version: z.string(),
  runningRuns: z.number(),
  activeLoops: z.number(),
  socketPath: z.string(),
  webhookUrl: z.string().nullable(),
  /** Where the ledger lives: the SQLite file, or the shared Redis URL (password redacted). */
  ledger: z.string().optional(),
});
export type DaemonStatus = z.infer<typeof statusSchema>;
