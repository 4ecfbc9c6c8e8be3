import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  truncateSync,
  writeSync,
} from "node:fs";
import { attemptLineSchema, type AttemptLine, type FinishedRecord } from "./attempt-record.js";

/**
 * `attempts.jsonl`: append-only, one `write` per line (each well under the 4 KiB a pipe or a
 * local file appends atomically), fsynced after `finished` so a kill -9 right after it loses
 * nothing. A torn last line (the process died mid-write) is cut off when the log is opened.
 */
export class AttemptLog {
  private readonly fd: number;

  constructor(readonly path: string) {
    if (existsSync(path)) repairTornTail(path);
    this.fd = openSync(path, "a", 0o600);
  }

  append(line: AttemptLine): void {
    writeSync(this.fd, `${JSON.stringify(line)}\n`);
    if (line.event === "finished") fsyncSync(this.fd);
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** Every parseable line of a log (lines that are not valid records are skipped). */
export function readAttemptLines(path: string): AttemptLine[] {
  if (!existsSync(path)) return [];
  const lines: AttemptLine[] = [];
  for (const text of readFileSync(path, "utf8").split("\n")) {
    if (!text.trim()) continue;
    try {
      const parsed = attemptLineSchema.safeParse(JSON.parse(text));
      if (parsed.success) lines.push(parsed.data);
    } catch {
      // A torn line from a killed writer: nothing to count.
    }
  }
  return lines;
}

/** Each attempt's single `finished` record (the first, should a log hold two). */
export function finishedRecords(lines: readonly AttemptLine[]): FinishedRecord[] {
  const seen = new Map<string, FinishedRecord>();
  for (const line of lines)
    if (line.event === "finished" && !seen.has(line.attempt)) seen.set(line.attempt, line);
  return [...seen.values()];
}

function repairTornTail(path: string): void {
  const text = readFileSync(path);
  if (text.length === 0 || text[text.length - 1] === 0x0a) return;
  const lastNewline = text.lastIndexOf(0x0a);
  truncateSync(path, lastNewline + 1);
}
