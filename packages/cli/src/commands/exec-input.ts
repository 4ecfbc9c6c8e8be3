import {
  accessSync,
  constants,
  existsSync,
  lstatSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, extname, resolve } from "node:path";
import { HedgeError, UsageError, type ContentPart } from "@hedge/model-spec";
import { writeFileAtomic } from "@hedge/auth";
import { gitRoot, sandboxModeSchema, type SandboxMode } from "@hedge/core";

/**
 * `hedge exec` input that can be judged before the turn: a turn's tokens are not spent when its
 * prompt is empty, when its files cannot be read, or when its answer has nowhere to go (the
 * thread checks that the prompt fits the model).
 */

export interface ExecOptions {
  model?: string;
  /** `--role ROLE=MODEL`, repeatable. */
  role: string[];
  singleModel?: string;
  /** false with `--no-qa`. */
  qa: boolean;
  /** `--orchestrate` (true) / `--no-orchestrate` (false). */
  orchestrate?: boolean;
  sandbox?: string;
  fullAuto?: boolean;
  cd?: string;
  addDir: string[];
  skipGitRepoCheck?: boolean;
  json: boolean;
  outputLastMessage?: string;
  outputSchema?: string;
  image: string[];
  gateway?: string;
  /** `--wait-for-reset`: when every profile is at its limit, wait for the earliest reset. */
  waitForReset?: boolean;
}

export interface ResumeTarget {
  id?: string;
  last?: boolean;
}

/** What exec's arguments say, checked: where to run, what to ask, and how. */
export interface ExecInput {
  cwd: string;
  prompt: string;
  images: ContentPart[];
  outputSchema: Record<string, unknown> | undefined;
  /** `--sandbox`, or workspace-write with `--full-auto`. */
  sandboxMode: SandboxMode | undefined;
}

/** Checks exec's arguments and reads its inputs (the prompt from stdin with `-`). */
export async function readExecInput(
  promptArgument: string | undefined,
  options: ExecOptions,
  resume: ResumeTarget | undefined,
): Promise<ExecInput> {
  if (resume && !resume.last && resume.id === undefined) {
    throw new UsageError("resume needs a session id or --last", {
      hint: 'hedge exec resume --last "continue"',
    });
  }
  const cwd = resolve(options.cd ?? process.cwd());
  if (!existsSync(cwd) || !statSync(cwd).isDirectory()) {
    throw new UsageError(`--cd ${options.cd ?? ""}: not a directory`);
  }
  if (!options.skipGitRepoCheck && !gitRoot(cwd)) {
    throw new UsageError(`${cwd} is not inside a git repository`, {
      hint: "run hedge exec inside a git repository so changes can be reviewed, or pass --skip-git-repo-check",
    });
  }
  const sandbox = options.sandbox ?? (options.fullAuto ? "workspace-write" : undefined);
  if (sandbox !== undefined && !sandboxModeSchema.options.includes(sandbox as SandboxMode)) {
    throw new UsageError(
      `--sandbox expects one of ${sandboxModeSchema.options.join(", ")}, got "${sandbox}"`,
    );
  }
  const prompt = await readPrompt(promptArgument);
  checkPromptText(prompt);
  if (options.outputLastMessage) checkOutputFile(options.outputLastMessage);
  return {
    cwd,
    prompt,
    images: options.image.map(readImage),
    outputSchema: options.outputSchema ? readSchema(options.outputSchema) : undefined,
    sandboxMode: sandbox as SandboxMode | undefined,
  };
}

/** A prompt of only whitespace is no prompt. */
export function checkPromptText(prompt: string): void {
  if (prompt.trim() !== "") return;
  throw new UsageError("the prompt is empty", {
    hint: 'say what to do: hedge exec "fix the failing test", or pipe it: echo "…" | hedge exec -',
  });
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

async function readPrompt(argument: string | undefined): Promise<string> {
  if (argument !== undefined && argument !== "-") return argument;
  if (process.stdin.isTTY) {
    throw new UsageError("no prompt given", {
      hint: 'pass it as an argument, or pipe it: echo "fix the tests" | hedge exec -',
    });
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8").trim();
  if (!text) throw new UsageError("the prompt read from stdin is empty");
  return text;
}

const IMAGE_TYPES: Record<string, string> = {
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
};

function readImage(path: string): ContentPart {
  const mediaType = IMAGE_TYPES[extname(path).toLowerCase()];
  if (!mediaType)
    throw new UsageError(`--image ${path}: expected a .png, .jpg, .gif or .webp file`);
  let data: Buffer;
  try {
    data = readFileSync(path);
  } catch {
    throw new UsageError(`--image ${path}: cannot read the file`);
  }
  return {
    type: "image",
    source: { kind: "base64", media_type: mediaType, data: data.toString("base64") },
  };
}

function readSchema(path: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch {
    throw new UsageError(`--output-schema ${path}: not a readable JSON file`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new UsageError(`--output-schema ${path}: expected a JSON Schema object`);
  }
  return parsed as Record<string, unknown>;
}
