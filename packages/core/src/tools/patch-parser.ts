/**
 * Parser for Codex's apply_patch format (codex-rs/apply-patch), lenient the way Codex is:
 * whitespace around markers, blank lines between hunks, a first hunk without `@@`, a heredoc
 * wrapper around the whole patch.
 *
 *   Patch      := "*** Begin Patch" NL { FileOp } "*** End Patch" NL?
 *   FileOp     := AddFile | DeleteFile | UpdateFile
 *   AddFile    := "*** Add File: " path NL { "+" line NL }
 *   DeleteFile := "*** Delete File: " path NL
 *   UpdateFile := "*** Update File: " path NL [ "*** Move to: " path NL ] { Hunk }
 *   Hunk       := ("@@" | "@@ " context) NL { (" " | "-" | "+") line NL } [ "*** End of File" NL ]
 */

/** One `@@` hunk of an Update File. */
export interface UpdateChunk {
  /**
   * The `@@ <context>` anchors: lines the hunk's lines follow (usually a class, then a method
   * header), found one after the other.
   */
  anchors: string[];
  /** Lines to find (context and removed lines, in order). */
  oldLines: string[];
  /** Lines to put in their place (context and added lines, in order). */
  newLines: string[];
  /** `*** End of File`: the old lines must sit at the end of the file. */
  isEndOfFile: boolean;
}

export type PatchOperation =
  | { type: "add"; path: string; contents: string }
  | { type: "delete"; path: string }
  | { type: "update"; path: string; moveTo?: string; chunks: UpdateChunk[] };

export type ParseResult =
  { ok: true; operations: PatchOperation[] } | { ok: false; message: string };

const BEGIN = "*** Begin Patch";
const END = "*** End Patch";
const ADD = "*** Add File: ";
const DELETE = "*** Delete File: ";
const UPDATE = "*** Update File: ";
const MOVE = "*** Move to: ";
const END_OF_FILE = "*** End of File";
/** `apply_patch <<'EOF'`, `<<EOF`, `<<"EOF"`, `cat <<'EOF' | apply_patch` is not accepted. */
const HEREDOC_START = /^(?:(?:apply_patch|applypatch)\s+)?<<-?\s*(['"]?)([A-Za-z_][\w]*)\1$/;
/** A unified-diff range header (`@@ -1,3 +1,4 @@`) some models write after `@@`; it locates nothing. */
const UNIFIED_RANGE = /^-\d+(?:,\d+)? \+\d+(?:,\d+)? @@/;

class ParseFailure extends Error {}

/** Parses patch text into file operations, or says which line is wrong and why. */
export function parsePatch(text: string): ParseResult {
  try {
    const { body, firstLineNumber } = patchBody(text);
    const operations: PatchOperation[] = [];
    let index = 0;
    while (index < body.length) {
      const lineNumber = firstLineNumber + index;
      const { operation, consumed } = parseOperation(body, index, lineNumber, firstLineNumber);
      operations.push(operation);
      index += consumed;
    }
    if (operations.length === 0)
      return { ok: false, message: "the patch contains no file operations" };
    return { ok: true, operations };
  } catch (error) {
    if (error instanceof ParseFailure) return { ok: false, message: error.message };
    throw error;
  }
}

/** The lines between the markers, and the 1-based patch line number of the first of them. */
function patchBody(text: string): { body: string[]; firstLineNumber: number } {
  const lines = text.trim().split(/\r?\n/);
  const heredoc = HEREDOC_START.exec(lines[0]?.trim() ?? "");
  if (heredoc !== null && lines.length >= 4) {
    const delimiter = heredoc[2] ?? "EOF";
    if (lines.at(-1)?.trim() !== delimiter) {
      throw new ParseFailure(`the heredoc is not closed: the last line must be ${delimiter}`);
    }
    checkMarkers(lines.slice(1, -1));
    return { body: lines.slice(2, -2), firstLineNumber: 3 };
  }
  checkMarkers(lines);
  return { body: lines.slice(1, -1), firstLineNumber: 2 };
}

function checkMarkers(lines: readonly string[]): void {
  if (lines[0]?.trim() !== BEGIN) {
    throw new ParseFailure(`the first line of the patch must be '${BEGIN}'`);
  }
  if (lines.length < 2 || lines.at(-1)?.trim() !== END) {
    throw new ParseFailure(`the last line of the patch must be '${END}'`);
  }
}

function parseOperation(
  lines: readonly string[],
  start: number,
  lineNumber: number,
  firstLineNumber: number,
): { operation: PatchOperation; consumed: number } {
  const header = (lines[start] ?? "").trim();
  if (header.startsWith(ADD)) {
    const path = header.slice(ADD.length).trim();
    let contents = "";
    let index = start + 1;
    for (; index < lines.length; index += 1) {
      const line = lines[index] ?? "";
      if (!line.startsWith("+")) break;
      contents += `${line.slice(1)}\n`;
    }
    return { operation: { type: "add", path, contents }, consumed: index - start };
  }
  if (header.startsWith(DELETE)) {
    return { operation: { type: "delete", path: header.slice(DELETE.length).trim() }, consumed: 1 };
  }
  if (header.startsWith(UPDATE)) {
    const path = header.slice(UPDATE.length).trim();
    let index = start + 1;
    let moveTo: string | undefined;
    const moveLine = lines[index]?.trim();
    if (moveLine?.startsWith(MOVE) === true) {
      moveTo = moveLine.slice(MOVE.length).trim();
      index += 1;
    }
    const chunks: UpdateChunk[] = [];
    while (index < lines.length) {
      const line = lines[index] ?? "";
      if (line.trim() === "") {
        index += 1;
        continue;
      }
      if (line.startsWith("*")) break;
      const { chunk, consumed } = parseChunk(
        lines,
        index,
        firstLineNumber + index,
        chunks.length === 0,
      );
      chunks.push(chunk);
      index += consumed;
    }
    // A rename alone needs no hunk (Codex insists on one; nothing is gained by that).
    if (chunks.length === 0 && moveTo === undefined) {
      throw new ParseFailure(`line ${lineNumber}: Update File ${path} has no hunks`);
    }
    const operation: PatchOperation =
      moveTo === undefined
        ? { type: "update", path, chunks }
        : { type: "update", path, moveTo, chunks };
    return { operation, consumed: index - start };
  }
  throw new ParseFailure(
    `line ${lineNumber}: '${header}' is not a valid file header; expected '*** Add File: {path}', '*** Delete File: {path}' or '*** Update File: {path}'`,
  );
}

function parseChunk(
  lines: readonly string[],
  start: number,
  lineNumber: number,
  allowMissingAnchor: boolean,
): { chunk: UpdateChunk; consumed: number } {
  const first = lines[start] ?? "";
  const trimmed = first.trim();
  let index = start;
  const chunk: UpdateChunk = { anchors: [], oldLines: [], newLines: [], isEndOfFile: false };
  if (trimmed === "@@" || first.startsWith("@@ ")) {
    // Several `@@` lines in a row narrow down step by step (`@@ class A` then `@@ def f():`).
    for (
      let line = lines[index] ?? "";
      line.trim() === "@@" || line.startsWith("@@ ");
      line = lines[index] ?? ""
    ) {
      const anchor = line.trim() === "@@" ? "" : line.slice(3);
      if (anchor.trim() !== "" && !UNIFIED_RANGE.test(anchor.trim())) chunk.anchors.push(anchor);
      index += 1;
    }
  } else if (!allowMissingAnchor) {
    throw new ParseFailure(
      `line ${lineNumber}: expected a hunk to start with '@@' or '@@ <context line>', got '${first}'`,
    );
  }
  let bodyLines = 0;
  for (; index < lines.length; index += 1) {
    const line = lines[index] ?? "";
    if (line.trim() === END_OF_FILE) {
      if (bodyLines === 0) break;
      chunk.isEndOfFile = true;
      index += 1;
      break;
    }
    const marker = line[0];
    if (marker === undefined) {
      // An empty line inside a hunk is an empty context line.
      chunk.oldLines.push("");
      chunk.newLines.push("");
    } else if (marker === " ") {
      chunk.oldLines.push(line.slice(1));
      chunk.newLines.push(line.slice(1));
    } else if (marker === "+") {
      chunk.newLines.push(line.slice(1));
    } else if (marker === "-") {
      chunk.oldLines.push(line.slice(1));
    } else {
      if (bodyLines === 0) {
        throw new ParseFailure(
          `line ${lineNumber + index - start}: unexpected line in hunk: '${line}'; every line must start with ' ' (context), '+' (added) or '-' (removed)`,
        );
      }
      break;
    }
    bodyLines += 1;
  }
  if (bodyLines === 0) {
    throw new ParseFailure(`line ${lineNumber}: the hunk contains no lines`);
  }
  return { chunk, consumed: index - start };
}
