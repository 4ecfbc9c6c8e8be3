import { createTwoFilesPatch } from "diff";

/** A diff longer than this is cut (the file change stays whole; only what is shown is cut). */
export const MAX_DIFF_LINES = 400;

/**
 * The unified diff of one file a patch changed (`before` null for an added file, `after` null
 * for a deleted one), with 3 lines of context, its `---`/`+++` header naming the path, and at
 * most `MAX_DIFF_LINES` lines: a longer one ends with a line saying how many were left out.
 */
export function fileDiff(path: string, before: string | null, after: string | null): string {
  const patch = createTwoFilesPatch(
    before === null ? "/dev/null" : `a/${path}`,
    after === null ? "/dev/null" : `b/${path}`,
    before ?? "",
    after ?? "",
    undefined,
    undefined,
    { context: 3 },
  );
  // jsdiff starts with an `Index:`/`===` pair git never prints.
  const lines = patch.split("\n").filter((line, index) => index > 1 || !/^(Index:|=+$)/.test(line));
  while (lines.at(-1) === "") lines.pop();
  if (lines.length <= MAX_DIFF_LINES) return lines.join("\n");
  const kept = lines.slice(0, MAX_DIFF_LINES);
  kept.push(`… ${lines.length - MAX_DIFF_LINES} more diff lines`);
  return kept.join("\n");
}
