import { UsageError } from "@hedge/model-spec";

/**
 * Splits a `--verify "CMD"` string into argv the way a shell would split words, with single and
 * double quotes and backslash escapes, and nothing else: no variables, globs, pipes or `;`.
 * The command then runs without a shell.
 */
export function splitWords(text: string, flag: string): string[] {
  const words: string[] = [];
  let current = "";
  let inWord = false;
  let quote: "'" | '"' | null = null;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index]!;
    if (quote === "'") {
      if (char === "'") quote = null;
      else current += char;
    } else if (quote === '"') {
      if (char === '"') quote = null;
      else if (char === "\\" && index + 1 < text.length) current += text[++index];
      else current += char;
    } else if (char === "'" || char === '"') {
      quote = char;
      inWord = true;
    } else if (char === "\\" && index + 1 < text.length) {
      current += text[++index];
      inWord = true;
    } else if (/\s/.test(char)) {
      if (inWord) words.push(current);
      current = "";
      inWord = false;
    } else {
      current += char;
      inWord = true;
    }
  }
  if (quote) {
    throw new UsageError(`${flag} has an unclosed ${quote} quote`, {
      hint: `close the quote in ${flag}`,
    });
  }
  if (inWord) words.push(current);
  if (words.length === 0) {
    throw new UsageError(`${flag} is empty`, { hint: `${flag} "npm test"` });
  }
  return words;
}
