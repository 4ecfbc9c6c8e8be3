import { accessSync, constants, statSync } from "node:fs";
import { delimiter, isAbsolute, join, resolve } from "node:path";
import { UsageError } from "@hedge/model-spec";
import type { AdapterName, LoopSpec } from "../ledger/types.js";

/** What the daemon knows when it plans a run. */
export interface AdapterInput {
  loop: LoopSpec & { id: string };
  runId: string;
  scheduledFor: number;
  /** Where the run executes (the loop's cwd, or its fresh worktree). */
  cwd: string;
  /** A private directory for this run's files (settings, last message). */
  runDir: string;
  home: string;
  /** How to start hedge itself: `[node, hedge.js]`. */
  hedgeCommand: readonly string[];
  /** The profile a vendor CLI runs under (`hedge auth exec`), chosen at run start; null: none. */
  profile: string | null;
  /** `--via-gateway`: the gateway's URL and this run's key. */
  gateway: { url: string; key: string } | null;
}

/** A file the adapter needs written before the run (e.g. a run-scoped settings file). */
export interface PlannedFile {
  path: string;
  content: string;
}

/** How to start a run: argv (never a shell string), environment additions, files. */
export interface RunPlan {
  argv: readonly [string, ...string[]];
  env: Readonly<Record<string, string>>;
  files?: readonly PlannedFile[];
}

/** Usage facts read from a run's output. They never decide success. */
export interface RunFacts {
  inputTokens: number | null;
  outputTokens: number | null;
  costUsd: number | null;
}

/** One agent CLI, driven with its guard flags. */
export interface AgentAdapter {
  readonly name: AdapterName;
  /** At `loop add`: the binary is found and the loop's flags suit this agent; one line if not. */
  check(loop: LoopSpec, path: string | undefined): void;
  plan(input: AdapterInput): RunPlan;
  /** One line of the run's stdout → usage facts. */
  observe?(line: string, facts: RunFacts): void;
  /** A reason for an exit code the agent documents (gemini's 53 = turn limit). */
  explainExit?(code: number): string | undefined;
}

/** Finds `program` the way spawn will: a path as given, a bare name on PATH. */
export function findProgram(
  program: string,
  cwd: string,
  path: string | undefined,
): string | undefined {
  const candidates = program.includes("/")
    ? [isAbsolute(program) ? program : resolve(cwd, program)]
    : (path ?? "")
        .split(delimiter)
        .filter(Boolean)
        .map((dir) => join(dir, program));
  for (const candidate of candidates) {
    try {
      if (!statSync(candidate).isFile()) continue;
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      continue;
    }
  }
  return undefined;
}

/** The binary must exist at `loop add` time: one clear line instead of a failed run later. */
export function requireProgram(
  program: string,
  loop: LoopSpec,
  path: string | undefined,
  hint: string,
): void {
  if (!findProgram(program, loop.cwd, path)) {
    throw new UsageError(`--agent ${loop.adapter}: "${program}" is not found on PATH`, { hint });
  }
}

/** Reads the JSON object on one output line, or undefined. */
export function jsonLine(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith("{")) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    return value && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Adds a usage object's input/output tokens to `facts`. */
export function addUsage(usage: unknown, facts: RunFacts): void {
  if (!usage || typeof usage !== "object") return;
  const record = usage as Record<string, unknown>;
  const input = record["input_tokens"];
  const output = record["output_tokens"];
  if (typeof input === "number") facts.inputTokens = (facts.inputTokens ?? 0) + input;
  if (typeof output === "number") facts.outputTokens = (facts.outputTokens ?? 0) + output;
}
