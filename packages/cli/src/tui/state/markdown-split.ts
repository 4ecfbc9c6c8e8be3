/**
 * Where streaming markdown may be cut: the finished prefix is committed to the transcript (printed
 * once) and only the rest stays live. A cut is safe at a blank line outside a fenced code block,
 * never inside one: a fence cut in two would render as two broken blocks. Scanning is incremental
 * ({@link advanceSplit}): each complete line is read once, so a long message costs O(length) in
 * total however many pieces it arrives in.
 */

/** How far a text has been scanned, and the last safe cut found. */
export interface SplitScan {
  /** Index just past the last complete line scanned. */
  readonly scanned: number;
  /** The open fence (its marker, e.g. "```" or "~~~~"), or null outside one. */
  readonly fence: string | null;
  /** Index of the last safe cut (0: none): the text before it is finished blocks. */
  readonly safe: number;
  /** Whether the previous line was blank (outside a fence). */
  readonly blank: boolean;
}

export const INITIAL_SCAN: SplitScan = { scanned: 0, fence: null, safe: 0, blank: false };

const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;

/** Scans the complete lines of `text` after `scan.scanned`; returns the new scan state. */
export function advanceSplit(scan: SplitScan, text: string): SplitScan {
  let { scanned, fence, safe, blank } = scan;
  for (;;) {
    const end = text.indexOf("\n", scanned);
    if (end < 0) break;
    const line = text.slice(scanned, end);
    const next = end + 1;
    const match = FENCE.exec(line);
    const marker = match?.[1] ?? "";
    const info = match?.[2] ?? "";
    if (fence !== null) {
      // A closing fence: same character, at least as long, nothing after it.
      if (marker[0] === fence[0] && marker.length >= fence.length && !info.trim()) fence = null;
      blank = false;
    } else if (marker && !(marker.startsWith("`") && info.includes("`"))) {
      // An opening fence (a backtick fence's info string has no backtick).
      fence = marker;
      blank = false;
    } else if (line.trim() === "") {
      // A blank line ends the blocks before it: the text up to here is finished.
      if (!blank && scanned > 0) safe = scanned;
      blank = true;
    } else {
      blank = false;
    }
    scanned = next;
  }
  return { scanned, fence, safe, blank };
}

/** The last safe cut of a whole text (0 when there is none). */
export function findSafeSplit(text: string): number {
  return advanceSplit(INITIAL_SCAN, text).safe;
}

/** The scan of the text left after cutting `cut` characters off its front. */
export function rebaseScan(scan: SplitScan, cut: number): SplitScan {
  return { ...scan, scanned: Math.max(0, scan.scanned - cut), safe: Math.max(0, scan.safe - cut) };
}
