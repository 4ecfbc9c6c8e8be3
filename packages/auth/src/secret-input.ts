import { HedgeError, UsageError } from "@hedge/model-spec";

/** A terminal input stream (process.stdin on a TTY), or a fake one in tests. */
export interface SecretInput extends NodeJS.ReadableStream {
  isTTY?: boolean;
  setRawMode?: (mode: boolean) => unknown;
}

/**
 * Reads a secret: the whole of stdin when it is piped (trailing newline removed), or a hidden
 * prompt on a TTY that echoes nothing (raw mode; Enter ends, Backspace edits, Ctrl-C aborts).
 */
export async function readSecret(
  input: SecretInput,
  output: NodeJS.WritableStream,
  prompt: string,
): Promise<string> {
  if (input.isTTY === true && typeof input.setRawMode === "function") {
    return readHidden(input, output, prompt);
  }
  let text = "";
  for await (const chunk of input) text += typeof chunk === "string" ? chunk : chunk.toString();
  return text.trim();
}

function readHidden(input: SecretInput, output: NodeJS.WritableStream, prompt: string) {
  return new Promise<string>((resolve, reject) => {
    let secret = "";
    output.write(prompt);
    input.setRawMode?.(true);
    input.resume();
    const finish = (error?: Error): void => {
      input.removeListener("data", onData);
      input.setRawMode?.(false);
      input.pause();
      output.write("\n");
      if (error) reject(error);
      else resolve(secret.trim());
    };
    const onData = (chunk: Buffer | string): void => {
      for (const char of typeof chunk === "string" ? chunk : chunk.toString("utf8")) {
        if (char === "\r" || char === "\n" || char === "\u0004") return finish();
        if (char === "\u0003") {
          return finish(new HedgeError("interrupted", "login cancelled", { exitCode: 130 }));
        }
        if (char === "\u007f" || char === "\b") secret = secret.slice(0, -1);
        else if (char >= " ") secret += char;
      }
    };
    input.on("data", onData);
  });
}

const CONTROL_NAMES: Readonly<Record<string, string>> = {
  "\n": "a newline",
  "\r": "a carriage return",
  "\t": "a tab",
  "\u001b": "an escape (ESC)",
  "\u0000": "a NUL",
  "\u007f": "a delete (DEL)",
};

/**
 * Refuses a secret holding a control character (C0, DEL or C1: newline, tab, ESC, NUL…): no
 * provider issues such keys, and one would break the HTTP header it goes into or hide a second
 * value after a newline. The message names the character and its position, never the secret.
 */
export function assertSecretText(secret: string, what = "key"): void {
  const match = /\p{Cc}/u.exec(secret);
  if (!match) return;
  const char = match[0];
  const name =
    CONTROL_NAMES[char] ??
    `control character U+${char.charCodeAt(0).toString(16).padStart(4, "0")}`;
  throw new UsageError(
    `the ${what} contains ${name} at character ${match.index + 1}: nothing was stored`,
    {
      code: "key_invalid",
      hint: "pass the key alone, without line breaks or escapes: printf '%s' \"$KEY\" | hedge auth login --provider NAME",
    },
  );
}
