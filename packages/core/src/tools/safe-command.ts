/**
 * Commands that only read, so the `untrusted` policy runs them without asking (Codex's
 * "known safe" list, slightly extended with other read-only utilities).
 */
const ALWAYS_SAFE = new Set([
  "cat",
  "cd",
  "echo",
  "false",
  "grep",
  "egrep",
  "fgrep",
  "head",
  "ls",
  "nl",
  "pwd",
  "tail",
  "true",
  "wc",
  "which",
  "stat",
  "file",
  "tree",
  "basename",
  "dirname",
  "realpath",
  "readlink",
]);

const UNSAFE_FIND_OPTIONS = new Set([
  "-exec",
  "-execdir",
  "-ok",
  "-okdir",
  "-delete",
  "-fls",
  "-fprint",
  "-fprint0",
  "-fprintf",
]);
const UNSAFE_RG_OPTIONS = ["--pre", "--hostname-bin", "--search-zip", "-z"];
const SAFE_GIT_SUBCOMMANDS = new Set(["status", "log", "diff", "show"]);
const SAFE_GIT_BRANCH_OPTIONS = new Set([
  "--list",
  "-l",
  "-a",
  "--all",
  "-r",
  "--remotes",
  "-v",
  "-vv",
  "--verbose",
  "--show-current",
]);
const SHELLS = new Set(["bash", "sh", "zsh", "dash"]);

/** Whether `argv` only reads: `untrusted` runs such commands without asking. */
export function isKnownSafeCommand(argv: readonly string[]): boolean {
  const script = shellScriptOf(argv);
  if (script !== undefined) {
    const commands = splitSimpleScript(script);
    return commands !== undefined && commands.length > 0 && commands.every(isSafeSimpleCommand);
  }
  return isSafeSimpleCommand(argv);
}

/** `bash -lc "script"` (and `sh -c`, `zsh -lc`): the script; otherwise undefined. */
export function shellScriptOf(argv: readonly string[]): string | undefined {
  const [program, flag, script, ...rest] = argv;
  if (program === undefined || flag === undefined || script === undefined || rest.length > 0) {
    return undefined;
  }
  if (!SHELLS.has(baseName(program))) return undefined;
  return flag === "-c" || flag === "-lc" ? script : undefined;
}

function isSafeSimpleCommand(argv: readonly string[]): boolean {
  const [program, ...args] = argv;
  if (program === undefined) return false;
  const name = baseName(program);
  if (ALWAYS_SAFE.has(name)) return true;
  switch (name) {
    case "find":
      return !args.some((arg) => UNSAFE_FIND_OPTIONS.has(arg));
    case "rg":
      return !args.some((arg) =>
        UNSAFE_RG_OPTIONS.some((option) => arg === option || arg.startsWith(`${option}=`)),
      );
    case "git":
      return isSafeGit(args);
    case "sed":
      // Only `sed -n 10p FILE` / `sed -n 10,20p FILE`: printing a range.
      return args.length >= 2 && args[0] === "-n" && /^\d+(,\d+)?p$/.test(args[1] ?? "");
    default:
      return false;
  }
}

function isSafeGit(args: readonly string[]): boolean {
  const [subcommand, ...rest] = args;
  if (subcommand === undefined) return false;
  // `--output` writes a file; `--ext-diff` runs a configured program.
  if (rest.some((arg) => arg.startsWith("--output") || arg === "--ext-diff")) return false;
  if (SAFE_GIT_SUBCOMMANDS.has(subcommand)) return true;
  if (subcommand === "branch") return rest.every((arg) => SAFE_GIT_BRANCH_OPTIONS.has(arg));
  return false;
}

/**
 * Splits a script of plain commands joined by `&&`, `||`, `;`, `|` or newlines into argv lists.
 * Anything beyond that (redirections, substitutions, variables, subshells, background jobs)
 * returns undefined: such a script is never considered safe.
 */
export function splitSimpleScript(script: string): string[][] | undefined {
  const commands: string[][] = [];
  let words: string[] = [];
  let word = "";
  let inWord = false;
  const endWord = (): void => {
    if (inWord) words.push(word);
    word = "";
    inWord = false;
  };
  const endCommand = (): boolean => {
    endWord();
    if (words.length === 0) return false;
    commands.push(words);
    words = [];
    return true;
  };
  for (let index = 0; index < script.length; index += 1) {
    const char = script[index] ?? "";
    const next = script[index + 1];
    if (char === "'") {
      const close = script.indexOf("'", index + 1);
      if (close === -1) return undefined;
      word += script.slice(index + 1, close);
      inWord = true;
      index = close;
    } else if (char === '"') {
      const close = script.indexOf('"', index + 1);
      if (close === -1) return undefined;
      const quoted = script.slice(index + 1, close);
      if (/[$`\\]/.test(quoted)) return undefined;
      word += quoted;
      inWord = true;
      index = close;
    } else if (char === " " || char === "\t") {
      endWord();
    } else if ((char === "&" && next === "&") || (char === "|" && next === "|")) {
      if (!endCommand()) return undefined;
      index += 1;
    } else if (char === ";" || char === "|" || char === "\n") {
      if (!endCommand() && char !== "\n") return undefined;
    } else if (/[<>&$`()\\{}*?[\]!~#]/.test(char)) {
      return undefined;
    } else {
      word += char;
      inWord = true;
    }
  }
  endCommand();
  return commands;
}

function baseName(program: string): string {
  return program.slice(program.lastIndexOf("/") + 1);
}
