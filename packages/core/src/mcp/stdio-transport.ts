import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { ReadBuffer, serializeMessage, type JSONRPCMessage, type Transport } from "./sdk.js";
import type { ServerLog } from "./server-log.js";

/** What a stdio server is started with. */
export interface StdioLaunch {
  command: string;
  args: readonly string[];
  /** The whole environment of the server: nothing else of hedge's is passed. */
  env: Readonly<Record<string, string>>;
  cwd?: string;
  log: ServerLog;
}

const GRACE_MS = 2000;
/** Groups still running when hedge exits are killed then (a crash must not leave servers behind). */
const liveGroups = new Set<number>();
let exitHookInstalled = false;

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const pid of liveGroups) killGroup(pid, "SIGKILL");
  });
}

/**
 * The SDK's `Transport` over a server in its own process group. Unlike the SDK's stdio
 * transport it passes exactly the environment it is given (the SDK always adds HOME, LOGNAME,
 * PATH, SHELL, TERM and USER), and `close` ends the whole group, so `npx` → node → chromium
 * leaves nothing running.
 */
export class GroupStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: <T extends JSONRPCMessage>(message: T) => void;
  private child: ChildProcess | undefined;
  private readonly buffer = new ReadBuffer();
  private closed = false;

  constructor(private readonly launch: StdioLaunch) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): Promise<void> {
    const { launch } = this;
    return new Promise((resolve, reject) => {
      const child = spawn(launch.command, [...launch.args], {
        env: { ...launch.env },
        cwd: launch.cwd,
        shell: false,
        detached: true,
        stdio: ["pipe", "pipe", "pipe"],
        windowsHide: true,
      });
      this.child = child;
      child.on("error", (error) => {
        reject(error);
        this.onerror?.(error);
      });
      child.on("spawn", () => {
        if (child.pid !== undefined) {
          installExitHook();
          liveGroups.add(child.pid);
        }
        resolve();
      });
      child.on("close", (code, signal) => {
        if (child.pid !== undefined) liveGroups.delete(child.pid);
        launch.log.note(`\n[hedge] server exited (${signal ?? `code ${code ?? "?"}`})\n`);
        this.child = undefined;
        this.onclose?.();
      });
      child.stdout?.on("data", (chunk: Buffer) => {
        try {
          this.buffer.append(chunk);
        } catch (error) {
          // A line past the buffer's 10 MB: the stream cannot be trusted any more.
          launch.log.note(`\n[hedge] ${String(error)}; stopping the server\n`);
          this.onerror?.(error instanceof Error ? error : new Error(String(error)));
          void this.close();
          return;
        }
        this.drain();
      });
      child.stdout?.on("error", (error) => this.onerror?.(error));
      child.stdin?.on("error", (error) => this.onerror?.(error));
      child.stderr?.on("data", (chunk: Buffer) => launch.log.write(chunk.toString("utf8")));
    });
  }

  private drain(): void {
    for (;;) {
      let message: JSONRPCMessage | null;
      try {
        message = this.buffer.readMessage();
      } catch (error) {
        // A line that is not JSON-RPC (a server printing to stdout): reported, then skipped.
        this.onerror?.(error instanceof Error ? error : new Error(String(error)));
        continue;
      }
      if (message === null) return;
      this.onmessage?.(message);
    }
  }

  send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.child?.stdin;
    if (!stdin) return Promise.reject(new Error("the server is not running"));
    return new Promise((resolve) => {
      if (stdin.write(serializeMessage(message))) resolve();
      else stdin.once("drain", resolve);
    });
  }

  /** Ends stdin, then SIGTERM and SIGKILL to the whole group, each after a grace period. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const child = this.child;
    this.buffer.clear();
    if (!child || child.pid === undefined) return;
    const pid = child.pid;
    const exited = once(child, "close").then(() => true);
    const within = (ms: number): Promise<boolean> =>
      Promise.race([exited, new Promise<boolean>((done) => setTimeout(done, ms, false).unref())]);
    child.stdin?.end();
    if (!(await within(GRACE_MS))) {
      killGroup(pid, "SIGTERM");
      if (!(await within(GRACE_MS))) killGroup(pid, "SIGKILL");
    }
    // The leader may be gone while others of its group still run (a child that ignored stdin).
    killGroup(pid, "SIGKILL");
    liveGroups.delete(pid);
  }
}
