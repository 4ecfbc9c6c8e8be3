import { existsSync } from "node:fs";
import { join } from "node:path";

/** A vendor CLI whose own subscription login a `cli-login` profile holds in an isolated home. */
export interface CliLoginVendor {
  provider: string;
  title: string;
  /** The variable pointing the vendor CLI at its home. */
  homeEnv: string;
  /** The variable overriding which binary hedge runs (tests point it at a fake). */
  binEnv: string;
  bin: string;
  /** Arguments of the vendor CLI's own interactive login. */
  loginArgs: readonly string[];
  /** Files in the home that exist once the CLI is logged in. */
  loginFiles: readonly string[];
}

export const CLI_LOGIN_VENDORS: Readonly<Record<string, CliLoginVendor>> = {
  codex: {
    provider: "codex",
    title: "Codex CLI",
    homeEnv: "CODEX_HOME",
    binEnv: "HEDGE_CODEX_BIN",
    bin: "codex",
    loginArgs: ["login"],
    loginFiles: ["auth.json"],
  },
  "claude-code": {
    provider: "claude-code",
    title: "Claude Code",
    homeEnv: "CLAUDE_CONFIG_DIR",
    binEnv: "HEDGE_CLAUDE_BIN",
    bin: "claude",
    loginArgs: ["auth", "login"],
    loginFiles: [".credentials.json"],
  },
};

/** The provider id of gateway profiles (a remote hedge or OpenAI-compatible gateway). */
export const GATEWAY_PROVIDER = "gateway";

/** Whether a cli-login home holds the vendor CLI's login file. */
export function hasLoginFile(vendor: CliLoginVendor, home: string): boolean {
  return vendor.loginFiles.some((file) => existsSync(join(home, file)));
}
