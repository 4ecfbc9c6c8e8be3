import { spawn, type ChildProcess } from "node:child_process";

export interface Started {
  child?: ChildProcess;
  stop: () => Promise<void>;
}

/** Spawns a process and resolves once its output matches `ready` (returning the match). */
export function startProcess(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  ready: RegExp,
): Promise<Started & { match: RegExpExecArray }> {
  const child = spawn(command, args, {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${command} did not start: ${output.slice(-500)}`)),
      30_000,
    );
    const onData = (text: string): void => {
      output += text;
      const match = ready.exec(output);
      if (!match) return;
      clearTimeout(timer);
      resolve({ child, match, stop: () => stop(child) });
    };
    child.stdout?.setEncoding("utf8").on("data", onData);
    child.stderr?.setEncoding("utf8").on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited ${code}: ${output.slice(-500)}`));
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
    setTimeout(() => child.kill("SIGKILL"), 3000).unref();
  });
}
