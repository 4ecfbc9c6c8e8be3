import { execFileSync } from "node:child_process";

let sessions = 0;

/** Options of {@link TmuxTerminal.start}. */
export interface TmuxStart {
  /** The command line to run in the pane (run through `sh -c`). */
  command: string;
  cwd: string;
  /** The pane's whole environment (the server starts with exactly this). */
  env: NodeJS.ProcessEnv;
  columns?: number;
  rows?: number;
}

/**
 * A real terminal: a private tmux server (its own socket, no config file, Escape not delayed)
 * running one command in a pane of a fixed size. Keys go in with `send-keys` (literal text or
 * tmux key names: Enter, Tab, Escape, C-c, M-Up), the screen comes out with `capture-pane`.
 */
export class TmuxTerminal {
  private constructor(
    private readonly socket: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  static start(options: TmuxStart): TmuxTerminal {
    sessions += 1;
    const socket = `hedge-e2e-${process.pid}-${sessions}`;
    const terminal = new TmuxTerminal(socket, options.env);
    terminal.tmux(
      "-f",
      "/dev/null",
      "new-session",
      "-d",
      "-x",
      String(options.columns ?? 100),
      "-y",
      String(options.rows ?? 30),
      "-c",
      options.cwd,
      options.command,
    );
    terminal.tmux("set", "-s", "escape-time", "0");
    // Keep the pane (and its last screen) when the command exits, to read it.
    terminal.tmux("set", "-g", "remain-on-exit", "on");
    return terminal;
  }

  /** Types `text` literally. */
  type(text: string): void {
    this.tmux("send-keys", "-l", text);
  }

  /** Presses tmux-named keys (`Enter`, `Tab`, `Escape`, `C-c`, `M-Up`). */
  press(...keys: string[]): void {
    this.tmux("send-keys", ...keys);
  }

  /** The screen as text, wrapped lines joined. */
  screen(): string {
    return this.tmux("capture-pane", "-p", "-J");
  }

  /** Appends everything the pane's program writes from now on to `file` (raw bytes). */
  pipeOutput(file: string): void {
    this.tmux("pipe-pane", "-o", `cat >> ${JSON.stringify(file)}`);
  }

  /** Where the terminal's cursor is (0-based column and row of the visible screen). */
  cursor(): { x: number; y: number } {
    const [x, y] = this.tmux("display-message", "-p", "#{cursor_x} #{cursor_y}")
      .trim()
      .split(" ")
      .map(Number);
    return { x: x ?? -1, y: y ?? -1 };
  }

  /** The pid of the pane's process. */
  pid(): number {
    return Number(this.tmux("display-message", "-p", "#{pane_pid}").trim());
  }

  /**
   * Polls the screen every 50 ms until `pattern` shows (and `until` holds, when given); fails
   * after `deadlineMs` with the last screen in the message, so a failure shows what was there.
   */
  async waitFor(pattern: RegExp, deadlineMs = 15_000): Promise<string> {
    const deadline = Date.now() + deadlineMs;
    let screen = "";
    while (Date.now() < deadline) {
      screen = this.screen();
      if (pattern.test(screen)) return screen;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`timed out waiting for ${String(pattern)}; the screen was:\n${screen}`);
  }

  kill(): void {
    try {
      this.tmux("kill-server");
    } catch {
      // Already gone.
    }
  }

  private tmux(...args: string[]): string {
    return execFileSync("tmux", ["-L", this.socket, ...args], {
      env: this.env,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
  }
}
