import { spawn } from "node:child_process";
import { constants } from "node:os";
import { StringDecoder } from "node:string_decoder";
import { HeadTailBuffer } from "./output-buffer.js";
import type { SecretRedactor } from "./redact.js";

export interface RunProcessOptions {
  command: string;
  args: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  signal: AbortSignal;
  onOutput?: (chunk: string) => void;
  /**
   * Replaces secrets as output arrives, before it is kept or streamed: a secret cut in two by
   * the kept head and tail, or by two reads, never shows in part.
   */
  redactor?: SecretRedactor;
  /** Bytes kept from the start and from the end of the output. */
  headBytes?: number;
  tailBytes?: number;
}

export type RunProcessResult =
  | {
      status: "exited";
      exitCode: number;
      timedOut: boolean;
      aborted: boolean;
      /** Interleaved stdout and stderr, bounded. */
      output: string;
      durationMs: number;
    }
  | { status: "spawn_failed"; message: string };

/** After the process exits, how long to wait for its pipes to close (a background child may hold them). */
const PIPE_GRACE_MS = 500;
/** Conventional exit code of a timed-out command (as `timeout(1)` reports it). */
export const TIMEOUT_EXIT_CODE = 124;

/**
 * Runs a process in its own process group with stdin closed, collecting stdout and stderr in
 * arrival order. On timeout or abort the whole group is killed.
 */
export function runProcess(options: RunProcessOptions): Promise<RunProcessResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    const buffer = new HeadTailBuffer(options.headBytes, options.tailBytes);
    let timedOut = false;
    let aborted = false;
    let exitCode: number | undefined;
    let settled = false;

    const child = spawn(options.command, [...options.args], {
      cwd: options.cwd,
      env: options.env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });

    const killGroup = (): void => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, options.timeoutMs);
    const onAbort = (): void => {
      aborted = true;
      killGroup();
    };
    options.signal.addEventListener("abort", onAbort, { once: true });
    if (options.signal.aborted) onAbort();

    const redacting = options.redactor?.stream();
    const decoders: StringDecoder[] = [];
    const take = (text: string): void => {
      const shown = redacting === undefined ? text : redacting.push(text);
      if (shown === "") return;
      buffer.push(Buffer.from(shown, "utf8"));
      options.onOutput?.(shown);
    };

    const finish = (): void => {
      if (settled) return;
      settled = true;
      for (const decoder of decoders) {
        const rest = decoder.end();
        if (rest !== "") take(rest);
      }
      const held = redacting?.end() ?? "";
      if (held !== "") {
        buffer.push(Buffer.from(held, "utf8"));
        options.onOutput?.(held);
      }
      clearTimeout(timer);
      options.signal.removeEventListener("abort", onAbort);
      child.stdout.destroy();
      child.stderr.destroy();
      resolve({
        status: "exited",
        exitCode: timedOut ? TIMEOUT_EXIT_CODE : (exitCode ?? 1),
        timedOut,
        aborted,
        output: buffer.toString(),
        durationMs: Math.round(performance.now() - started),
      });
    };

    for (const stream of [child.stdout, child.stderr]) {
      const decoder = new StringDecoder("utf8");
      decoders.push(decoder);
      stream.on("data", (chunk: Buffer) => {
        if (redacting === undefined && options.onOutput === undefined) {
          buffer.push(chunk);
          return;
        }
        const text = decoder.write(chunk);
        if (text !== "") take(text);
      });
    }

    child.on("error", (error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal.removeEventListener("abort", onAbort);
      resolve({ status: "spawn_failed", message: error.message });
    });
    child.on("exit", (code, signal) => {
      exitCode = code ?? 128 + signalNumber(signal);
      setTimeout(finish, PIPE_GRACE_MS).unref();
    });
    child.on("close", finish);
  });
}

function signalNumber(signal: NodeJS.Signals | null): number {
  return signal === null ? 0 : constants.signals[signal];
}
