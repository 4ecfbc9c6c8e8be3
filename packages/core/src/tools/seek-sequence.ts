/**
 * Finds `pattern` as consecutive lines of `lines` at or after `start`, trying decreasingly strict
 * comparisons like Codex: exact, then ignoring trailing whitespace, then ignoring surrounding
 * whitespace, then also folding typographic punctuation to ASCII. With `endOfFile`, a match
 * ending on the last line is tried first. Returns the index of the first matched line.
 */
export function seekSequence(
  lines: readonly string[],
  pattern: readonly string[],
  start: number,
  endOfFile: boolean,
): number | undefined {
  if (pattern.length === 0) return start;
  if (pattern.length > lines.length) return undefined;
  const last = lines.length - pattern.length;
  const from = endOfFile ? last : start;
  for (const compare of COMPARISONS) {
    const wanted = pattern.map(compare);
    for (let index = from; index <= last; index += 1) {
      if (wanted.every((line, offset) => compare(lines[index + offset] ?? "") === line))
        return index;
    }
  }
  // `*** End of File` prefers the end; fall back to searching from `start` like Codex.
  if (endOfFile && start < last) return seekSequence(lines, pattern, start, false);
  return undefined;
}

const PUNCTUATION: Record<string, string> = {
  "\u2010": "-",
  "\u2011": "-",
  "\u2012": "-",
  "\u2013": "-",
  "\u2014": "-",
  "\u2015": "-",
  "\u2212": "-",
  "\u2018": "'",
  "\u2019": "'",
  "\u201A": "'",
  "\u201B": "'",
  "\u201C": '"',
  "\u201D": '"',
  "\u201E": '"',
  "\u201F": '"',
};
const ODD_SPACES = /[\u00A0\u2002-\u200A\u202F\u205F\u3000]/g;
const FANCY_PUNCTUATION = /[\u2010-\u2015\u2212\u2018-\u201F]/g;

const COMPARISONS: ReadonlyArray<(line: string) => string> = [
  (line) => line,
  (line) => line.trimEnd(),
  (line) => line.trim(),
  (line) =>
    line
      .trim()
      .replace(ODD_SPACES, " ")
      .replace(FANCY_PUNCTUATION, (char) => PUNCTUATION[char] ?? char),
];
