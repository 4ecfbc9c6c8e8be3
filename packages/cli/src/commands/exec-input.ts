import { accessSync, constants, existsSync, lstatSync, statSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { HedgeError, UsageError, type ContentPart } from "@hedge/model-spec";
import { writeFileAtomic } from "@hedge/auth";
import { estimateTokens } from "@hedge/core";

/**
 * `hedge exec` input that can be judged before the turn: a turn's tokens are not spent when its
 * prompt is empty or cannot fit the model, or when its answer has nowhere to go.
 */

/** The context window hedge assumes when the config names none (Codex's default). */
export const DEFAULT_CONTEXT_WINDOW = 128_000;

/** A prompt of only whitespace is no prompt. */
export function checkPromptText(prompt: string): void {
  if (prompt.trim() !== "") return;
  throw new UsageError("the prompt is empty", {
    hint: 'say what to do: hedge exec "fix the failing test", or pipe it: echo "…" | hedge exec -',
  });
}

/**
 * Refuses a prompt the executor's model cannot take in one request (estimated as core's
 * compaction estimates it), before any model call: sending it would fail at the provider, after
 * uploading it, and compaction cannot shrink the message the turn starts from.
 */
export function checkPromptFits(input: {
  prompt: string;
  images: readonly ContentPart[];
  model: string;
  contextWindow: number;
}): void {
  const tokens = estimateTokens([
    { role: "user", content: [{ type: "text", text: input.prompt }, ...input.images] },
  ]);
  if (tokens <= input.contextWindow) return;
  throw new UsageError(
    `the prompt is about ${tokens.toLocaleString("en-US")} tokens, more than the context window of "${input.model}" (${input.contextWindow.toLocaleString("en-US")} tokens)`,
    {
      code: "prompt_too_large",
      hint: "shorten it, or put large inputs in files and name them in the prompt for the agent to read; if the model takes more, set model_context_window",
    },
  );
}

/**
 * `-o FILE` must be writable before the turn runs: an existing file writable, a new one in an
 * existing, writable directory.
 */
export function checkOutputFile(file: string): void {
  const path = resolve(file);
  if (existsSync(path)) {
    if (statSync(path).isDirectory()) {
      throw new UsageError(`-o ${file}: is a directory`, { hint: "name a file to write" });
    }
    if (!writable(path)) {
      throw new UsageError(`-o ${file}: the file is not writable`, {
        hint: "check its permissions, or choose another path",
      });
    }
    return;
  }
  const directory = dirname(path);
  if (!existsSync(directory) || !statSync(directory).isDirectory()) {
    throw new UsageError(`-o ${file}: the directory ${directory} does not exist`, {
      hint: `create it first (mkdir -p ${directory}), or choose another path`,
    });
  }
  if (!writable(directory)) {
    throw new UsageError(`-o ${file}: the directory ${directory} is not writable`, {
      hint: "check its permissions, or choose another path",
    });
  }
}

/**
 * Writes the final message: a regular file is replaced whole (a failed write leaves the old one
 * intact); a device, pipe or symlink (`-o /dev/stdout`) is written through.
 */
export function writeOutputFile(file: string, text: string): void {
  const path = resolve(file);
  try {
    const special =
      existsSync(path) && (lstatSync(path).isSymbolicLink() || !statSync(path).isFile());
    if (special) writeFileSync(path, text);
    else writeFileAtomic(path, text, 0o644);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unknown error";
    throw new HedgeError(
      "output_unwritable",
      `-o ${file}: cannot write the final message (${code})`,
      {
        hint: "the turn itself completed; its answer is in the session (hedge exec resume --last)",
      },
    );
  }
}

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
