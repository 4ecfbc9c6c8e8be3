import { spawn } from "node:child_process";
import { constants } from "node:os";
import { HedgeError, UsageError } from "@hedge/model-spec";
import {
  execEnvironment,
  getProfile,
  profileVariables,
  readProfileSecret,
  touchProfile,
} from "@hedge/auth";
import { commandContext } from "../command-context.js";
import type { GlobalOptions } from "../context.js";
import { identityVariables, keyEnvOf } from "../composition/providers.js";

const FORWARDED_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT"] as const;

/**
 * `hedge auth exec NAME -- CMD ...`: runs CMD with exactly that profile's identity: its variables
 * added, every other provider key variable and vendor home removed. Exits with CMD's code;
 * signals hedge receives are passed on.
 */
export async function runAuthExec(
  globals: GlobalOptions,
  name: string,
  command: readonly string[],
): Promise<void> {
  const [program, ...args] = command;
  if (!program) {
    throw new UsageError("auth exec needs a command after the profile name", {
      hint: `hedge auth exec ${name} -- env`,
    });
  }
  const context = commandContext(globals);
  const providers = context.loaded.config.providers;
  const profile = getProfile(context.home, name);
  const secret = await readProfileSecret(context.home, profile);
  const variables = profileVariables(profile, secret, (provider) => keyEnvOf(provider, providers));
  const env = execEnvironment(process.env, variables, [
    ...identityVariables(providers),
    // A remote gateway's key under the name this config gives it.
    context.loaded.config.client.gateway_key_env,
  ]);
  await touchProfile(context.home, name);
  process.exitCode = await run(program, args, env);
}

function run(program: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, [...args], { stdio: "inherit", env });
    const forward = (signal: NodeJS.Signals) => () => {
      child.kill(signal);
    };
    const handlers = FORWARDED_SIGNALS.map((signal) => [signal, forward(signal)] as const);
    for (const [signal, handler] of handlers) process.on(signal, handler);
    const detach = (): void => {
      for (const [signal, handler] of handlers) process.removeListener(signal, handler);
    };
    child.on("error", (error: NodeJS.ErrnoException) => {
      detach();
      reject(
        new HedgeError(
          "exec_failed",
          error.code === "ENOENT"
            ? `command not found: ${program}`
            : `cannot run ${program}: ${error.message}`,
          { exitCode: 127 },
        ),
      );
    });
    child.on("close", (code, signal) => {
      detach();
      resolve(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0));
    });
  });
}
