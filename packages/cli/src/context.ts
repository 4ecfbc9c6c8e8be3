import { homedir } from "node:os";
import { join, resolve } from "node:path";

/** Options every command accepts (set on the program, usable after the subcommand). */
export interface GlobalOptions {
  /** `-c key=value` overrides, in order. The global `--profile` travels as HEDGE_PROFILE. */
  configOverrides: string[];
}

/** `$HEDGE_HOME`, default `~/.hedge`. */
export function hedgeHome(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env["HEDGE_HOME"];
  return fromEnv ? resolve(fromEnv) : join(homedir(), ".hedge");
}
