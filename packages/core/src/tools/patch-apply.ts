import { randomBytes } from "node:crypto";
import { chmod, lstat, mkdir, readFile, rename, stat, unlink, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { PatchOperation, UpdateChunk } from "./patch-parser.js";
import { resolveWritablePath, type WritablePath, type WriteRoots } from "./paths.js";
import { protectedWriteReason } from "./protected-write.js";
import { seekSequence } from "./seek-sequence.js";
import { fileDiff } from "./file-diff.js";
import type { FileChange, SandboxMode } from "./tool.js";

/** One filesystem step of a validated patch. */
type Step = { kind: "write"; path: string; contents: string } | { kind: "delete"; path: string };

/** A patch whose every hunk has been located; nothing is written yet. */
export interface PlannedPatch {
  changes: FileChange[];
  /** `A path`, `M path`, `D path`, `R old -> new`. */
  summary: string[];
  steps: Step[];
}

/** `denied`: a path the sandbox protects (`.git`, `.hedge`), not a patch that does not apply. */
export type PlanResult =
  { ok: true; plan: PlannedPatch } | { ok: false; message: string; denied?: true };

/** Where a patch may write: the roots, and the sandbox mode that decides what is protected. */
export interface PatchRoots extends WriteRoots {
  sandboxMode: SandboxMode;
}

class PlanFailure extends Error {
  constructor(
    message: string,
    readonly denied = false,
  ) {
    super(message);
  }
}

/**
 * Validates a parsed patch against the filesystem and computes every new file content in memory.
 * Operations apply in order on a virtual view, so a later operation sees earlier ones.
 */
export async function planPatch(
  operations: readonly PatchOperation[],
  roots: PatchRoots,
): Promise<PlanResult> {
  const view = new Map<string, string | null>();
  const touched: string[] = [];
  const changes: FileChange[] = [];
  const summary: string[] = [];
  const record = (path: string, contents: string | null): void => {
    if (!view.has(path)) touched.push(path);
    view.set(path, contents);
  };
  const current = async (path: WritablePath, label: string): Promise<string> => {
    const viewed = view.get(path.target);
    if (viewed === null)
      throw new PlanFailure(`${label}: ${path.display} was deleted earlier in this patch`);
    if (viewed !== undefined) return viewed;
    return readExistingText(path, label);
  };
  try {
    for (const operation of operations) {
      const path = await writable(operation.path, roots);
      switch (operation.type) {
        case "add": {
          await ensureNotDirectory(path, `Add File ${operation.path}`);
          const before = view.get(path.target);
          record(path.target, operation.contents);
          changes.push({
            path: path.display,
            kind: "add",
            diff: fileDiff(path.display, before ?? null, operation.contents),
          });
          summary.push(`A ${path.display}`);
          break;
        }
        case "delete": {
          const original = await current(path, `Delete File ${operation.path}`);
          record(path.entry, null);
          changes.push({
            path: path.display,
            kind: "delete",
            diff: fileDiff(path.display, original, null),
          });
          summary.push(`D ${path.display}`);
          break;
        }
        case "update": {
          const label = `Update File ${operation.path}`;
          const original = await current(path, label);
          const updated =
            operation.chunks.length === 0
              ? original
              : applyChunks(original, operation.chunks, path.display);
          if (operation.moveTo === undefined) {
            record(path.target, updated);
            changes.push({
              path: path.display,
              kind: "update",
              diff: fileDiff(path.display, original, updated),
            });
            summary.push(`M ${path.display}`);
            break;
          }
          const destination = await writable(operation.moveTo, roots);
          await ensureNotDirectory(destination, `Move to ${operation.moveTo}`);
          record(path.entry, null);
          record(destination.target, updated);
          changes.push({
            path: path.display,
            kind: "update",
            move_to: destination.display,
            diff: fileDiff(destination.display, original, updated),
          });
          summary.push(`R ${path.display} -> ${destination.display}`);
          break;
        }
      }
    }
  } catch (error) {
    if (error instanceof PlanFailure) {
      return error.denied
        ? { ok: false, message: error.message, denied: true }
        : { ok: false, message: error.message };
    }
    throw error;
  }
  const steps = touched.map((path): Step => {
    const contents = view.get(path);
    return contents === null || contents === undefined
      ? { kind: "delete", path }
      : { kind: "write", path, contents };
  });
  return { ok: true, plan: { changes, summary, steps } };
}

/**
 * Resolves a path of the patch (a source or a `Move to` target); in a sandboxed mode, `.git`,
 * git directories and `.hedge` are refused (danger-full-access is the user's choice of no
 * protection).
 */
async function writable(requested: string, roots: PatchRoots): Promise<WritablePath> {
  const resolved = await resolveWritablePath(requested, roots);
  if (!resolved.ok) throw new PlanFailure(resolved.message);
  if (roots.sandboxMode !== "danger-full-access") {
    const reason = await protectedWriteReason(resolved.path, roots);
    if (reason !== undefined) throw new PlanFailure(reason, true);
  }
  return resolved.path;
}

async function ensureNotDirectory(path: WritablePath, label: string): Promise<void> {
  const stats = await stat(path.target).catch(() => undefined);
  if (stats?.isDirectory() === true)
    throw new PlanFailure(`${label}: ${path.display} is a directory`);
}

async function readExistingText(path: WritablePath, label: string): Promise<string> {
  const stats = await stat(path.target).catch(() => undefined);
  if (stats === undefined) throw new PlanFailure(`${label}: ${path.display} does not exist`);
  if (!stats.isFile()) throw new PlanFailure(`${label}: ${path.display} is not a regular file`);
  const bytes = await readFile(path.target);
  if (bytes.subarray(0, 8192).includes(0)) {
    throw new PlanFailure(
      `${label}: ${path.display} is a binary file; apply_patch edits text only`,
    );
  }
  return bytes.toString("utf8");
}

/** Applies the hunks of one Update File to `original`; fails naming the hunk and the missing line. */
export function applyChunks(
  original: string,
  chunks: readonly UpdateChunk[],
  displayPath: string,
): string {
  const eol = detectLineEnding(original);
  const lines = original
    .split("\n")
    .map((line) => (eol === "\r\n" ? line.replace(/\r$/, "") : line));
  // The empty string after the final newline is not a line.
  if (lines.at(-1) === "") lines.pop();

  const replacements: Array<{ start: number; length: number; lines: string[] }> = [];
  let lineIndex = 0;
  chunks.forEach((chunk, chunkIndex) => {
    const anchor = chunk.anchors.at(-1);
    const label = `${displayPath}: hunk ${chunkIndex + 1}${anchor === undefined ? "" : ` (@@ ${anchor.trim()})`}`;
    for (const line of chunk.anchors) {
      const found = seekSequence(lines, [line], lineIndex, false);
      if (found === undefined)
        throw new PlanFailure(`${label}: context not found: ${JSON.stringify(line.trim())}`);
      lineIndex = found + 1;
    }
    if (chunk.oldLines.length === 0) {
      // Pure addition: after the anchor when there is one, else at the end of the file (Codex).
      const at = anchor !== undefined && !chunk.isEndOfFile ? lineIndex : lines.length;
      replacements.push({ start: at, length: 0, lines: chunk.newLines });
      return;
    }
    let pattern = chunk.oldLines;
    let replacement = chunk.newLines;
    let found = seekSequence(lines, pattern, lineIndex, chunk.isEndOfFile);
    if (found === undefined && pattern.at(-1) === "") {
      // A trailing empty line usually stands for the file's final newline.
      pattern = pattern.slice(0, -1);
      if (replacement.at(-1) === "") replacement = replacement.slice(0, -1);
      found = seekSequence(lines, pattern, lineIndex, chunk.isEndOfFile);
    }
    if (found === undefined) {
      throw new PlanFailure(
        `${label}: context not found: ${JSON.stringify(firstMissingLine(lines, pattern, lineIndex))}`,
      );
    }
    replacements.push({ start: found, length: pattern.length, lines: replacement });
    lineIndex = found + pattern.length;
  });

  const result = [...lines];
  for (const { start, length, lines: replacement } of replacements.sort(
    (a, b) => b.start - a.start,
  )) {
    result.splice(start, length, ...replacement);
  }
  return `${result.join(eol)}${eol}`;
}

/** The first line of `pattern` that stops it from matching: the longest matching prefix ends before it. */
function firstMissingLine(
  lines: readonly string[],
  pattern: readonly string[],
  start: number,
): string {
  let matched = 0;
  while (
    matched < pattern.length &&
    seekSequence(lines, pattern.slice(0, matched + 1), start, false) !== undefined
  ) {
    matched += 1;
  }
  return pattern[Math.min(matched, pattern.length - 1)] ?? "";
}

/** CRLF when most line breaks of the file are CRLF; new and changed lines follow the file's style. */
function detectLineEnding(text: string): "\n" | "\r\n" {
  const crlf = text.split("\r\n").length - 1;
  const lf = text.split("\n").length - 1;
  return crlf > 0 && crlf * 2 >= lf ? "\r\n" : "\n";
}

/**
 * Writes a planned patch. Each file is replaced atomically (temp file + rename, mode kept); if
 * any step fails, files already changed are restored to their previous contents.
 */
export async function commitPatch(plan: PlannedPatch): Promise<void> {
  const undo: Array<() => Promise<void>> = [];
  try {
    for (const step of plan.steps) {
      const previous = await readFile(step.path).catch(() => undefined);
      const mode = (await lstat(step.path).catch(() => undefined))?.mode;
      if (step.kind === "delete") {
        await unlink(step.path).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== "ENOENT") throw error;
        });
      } else {
        await atomicWrite(step.path, step.contents, mode);
      }
      undo.push(async () => {
        if (previous === undefined) await unlink(step.path).catch(() => undefined);
        else await atomicWrite(step.path, previous, mode);
      });
    }
  } catch (error) {
    for (const restore of undo.reverse()) await restore().catch(() => undefined);
    throw error;
  }
}

async function atomicWrite(
  path: string,
  contents: string | Buffer,
  mode: number | undefined,
): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = join(
    dirname(path),
    `.${basename(path)}.${randomBytes(4).toString("hex")}.hedge-tmp`,
  );
  try {
    await writeFile(temporary, contents);
    if (mode !== undefined) await chmod(temporary, mode & 0o7777);
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}
