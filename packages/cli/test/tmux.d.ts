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
export declare class TmuxTerminal {
    private readonly socket;
    private readonly env;
    private constructor();
    static start(options: TmuxStart): TmuxTerminal;
    /** Types `text` literally. */
    type(text: string): void;
    /** Presses tmux-named keys (`Enter`, `Tab`, `Escape`, `C-c`, `M-Up`). */
    press(...keys: string[]): void;
    /** The screen as text, wrapped lines joined. */
    screen(): string;
    /** Appends everything the pane's program writes from now on to `file` (raw bytes). */
    pipeOutput(file: string): void;
    /** The pid of the pane's process. */
    pid(): number;
    /**
     * Polls the screen every 50 ms until `pattern` shows (and `until` holds, when given); fails
     * after `deadlineMs` with the last screen in the message, so a failure shows what was there.
     */
    waitFor(pattern: RegExp, deadlineMs?: number): Promise<string>;
    kill(): void;
    private tmux;
}
//# sourceMappingURL=tmux.d.ts.map