/** Output the terminal modes need: a writable with a synchronous-enough `write`. */
export interface TerminalOutput {
  write(text: string): unknown;
}

/** Options of {@link enableTerminalModes}. */
export interface TerminalModeOptions {
  /** kitty's keyboard protocol (CSI-u: Shift+Enter distinguishable); only where it is known to work. */
  kittyKeys: boolean;
  /**
   * Called on SIGTERM/SIGHUP after the terminal was restored (save what must be saved, then
   * exit); default: exit with 128 + the signal's number.
   */
  onSignal?(signal: "SIGTERM" | "SIGHUP"): void;
}

/** Modes the TUI turned on, and the one way to turn them off. */
export interface TerminalModes {
  /** Turns every mode off again (idempotent; also runs at process exit and on SIGTERM/SIGHUP). */
  restore(): void;
}

export const BRACKETED_PASTE_ON = "\x1b[?2004h";
export const BRACKETED_PASTE_OFF = "\x1b[?2004l";
export const KITTY_KEYS_ON = "\x1b[>1u";
export const KITTY_KEYS_OFF = "\x1b[<u";
export const SHOW_CURSOR = "\x1b[?25h";

const SIGNAL_NUMBERS = { SIGHUP: 1, SIGTERM: 15 } as const;

/**
 * Turns on bracketed paste (pastes arrive whole, their newlines are not Enter) and, when asked,
 * kitty's keyboard protocol. Whatever ends the process (a normal exit, an uncaught error, a
 * SIGTERM or SIGHUP) turns them off again: a shell left in bracketed-paste or kitty mode wraps
 * every paste in markers and breaks Ctrl+C (anthropics/claude-code #38625).
 */
export function enableTerminalModes(
  output: TerminalOutput,
  options: TerminalModeOptions,
): TerminalModes {
  let active = true;
  const turnOff = (): void => {
    if (!active) return;
    active = false;
    process.off("exit", turnOff);
    try {
      output.write(
        `${options.kittyKeys ? KITTY_KEYS_OFF : ""}${BRACKETED_PASTE_OFF}${SHOW_CURSOR}`,
      );
    } catch {
      // The terminal is gone (SIGHUP): nothing left to restore.
    }
  };
  const onSignal = (signal: "SIGTERM" | "SIGHUP"): void => {
    // The handlers stay while the signal is handled (a loader's relay would re-raise it otherwise).
    turnOff();
    if (options.onSignal) options.onSignal(signal);
    else process.exit(128 + SIGNAL_NUMBERS[signal]);
  };
  const restore = (): void => {
    turnOff();
    process.off("SIGTERM", onSignal);
    process.off("SIGHUP", onSignal);
  };
  output.write(`${BRACKETED_PASTE_ON}${options.kittyKeys ? KITTY_KEYS_ON : ""}`);
  process.on("exit", turnOff);
  process.on("SIGTERM", onSignal);
  process.on("SIGHUP", onSignal);
  return { restore };
}

/**
 * Whether kitty's keyboard protocol is safe to turn on: terminals known to implement it (kitty,
 * WezTerm, ghostty, foot), or the user's `[tui] kitty_keys`. Elsewhere an unknown terminal could
 * turn keypad keys into sequences nothing reads (anthropics/claude-code #17232).
 */
export function supportsKittyKeys(
  env: NodeJS.ProcessEnv,
  configured: boolean | undefined,
): boolean {
  if (configured !== undefined) return configured;
  if (env["TMUX"]) return false;
  const program = (env["TERM_PROGRAM"] ?? "").toLowerCase();
  const term = (env["TERM"] ?? "").toLowerCase();
  return (
    env["KITTY_WINDOW_ID"] !== undefined ||
    ["wezterm", "ghostty"].includes(program) ||
    term === "xterm-kitty" ||
    term.startsWith("foot") ||
    term === "xterm-ghostty"
  );
}
