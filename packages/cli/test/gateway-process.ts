import { spawn, type ChildProcess } from "node:child_process";
import { HEDGE_BIN } from "./run-hedge.js";

export interface GatewayProcess {
  /** Origin, e.g. `http://127.0.0.1:41234`. */
  url: string;
  child: ChildProcess;
  stderr: () => string;
  stop: () => Promise<void>;
}

/** Starts `hedge gateway serve --port 0` as a real process and waits until it listens. */
export function startGateway(
  env: NodeJS.ProcessEnv,
  args: readonly string[] = [],
): Promise<GatewayProcess> {
  const child = spawn(process.execPath, [HEDGE_BIN, "gateway", "serve", "--port", "0", ...args], {
    env: { PATH: process.env["PATH"], NO_COLOR: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null): void =>
      reject(new Error(`gateway exited ${code} before listening: ${stderr.trim()}`));
    child.once("exit", onExit);
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(stdout);
      if (!match?.[1]) return;
      child.off("exit", onExit);
      resolve({
        url: match[1],
        child,
        stderr: () => stderr,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once("exit", () => done());
            child.kill("SIGTERM");
          }),
      });
    });
  });
}
