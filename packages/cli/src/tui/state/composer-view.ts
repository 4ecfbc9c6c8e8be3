import type { ComposerView } from "../layout/composer-layout.js";
import type { ComposerBuffer } from "./composer-buffer.js";

/** Code points in `text` from `from` to `to` (UTF-16 offsets). */
function codePoints(text: string, from: number, to: number): number {
  return [...text.slice(from, to)].length;
}

/**
 * What the composer component draws for a buffer: its lines, the cursor as (line, column in
 * code points), and each atom's range on its line (atoms never span lines but a paste label's).
 */
export function composerView(buffer: ComposerBuffer): ComposerView {
  const lines = buffer.text.split("\n");
  const starts: number[] = [];
  let offset = 0;
  for (const line of lines) {
    starts.push(offset);
    offset += line.length + 1;
  }
  const locate = (at: number): { line: number; column: number } => {
    let line = 0;
    while (line + 1 < starts.length && (starts[line + 1] ?? Infinity) <= at) line += 1;
    const start = starts[line] ?? 0;
    return { line, column: codePoints(buffer.text, start, at) };
  };
  const atoms = buffer.atoms.flatMap((atom) => {
    const start = locate(atom.start);
    const end = locate(atom.end);
    return start.line === end.line
      ? [{ line: start.line, start: start.column, end: end.column }]
      : [];
  });
  return { lines, cursor: locate(buffer.cursor), atoms };
}
