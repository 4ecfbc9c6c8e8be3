import { randomBytes } from "node:crypto";
import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach } from "vitest";
import { runHedge, tempDir, type HedgeRun } from "./run-hedge.js";

/** Cleanups registered by the helpers below, run after each test. */
const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()?.();
});

/** A temp directory removed after the test. */
export function dir(): string {
  const created = tempDir("hedge-auth-test-");
  cleanups.push(created.cleanup);
  return created.path;
}

/** A temp HEDGE_HOME, optionally with a config.toml. */
export function home(config?: string): string {
  const path = dir();
  if (config !== undefined) writeFileSync(join(path, "config.toml"), config);
  return path;
}

/** A HEDGE_HOME whose secrets go to the 0600 file (tests that use fixed profile names). */
export function fileHome(config = ""): string {
  return home(`credentials_store = "file"\n${config}`);
}

/**
 * Keychain entries are shared by every HEDGE_HOME on the machine (service "hedge", account =
 * profile name): tests that use the real keychain pick names nobody else uses.
 */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString("hex")}`;
}

/** The session bus of the real Secret Service the test setup started (or CI provides). */
export const SECRET_SERVICE_ENV: NodeJS.ProcessEnv = process.env["DBUS_SESSION_BUS_ADDRESS"]
  ? { DBUS_SESSION_BUS_ADDRESS: process.env["DBUS_SESSION_BUS_ADDRESS"] }
  : {};

/** An address where no keychain answers. */
export const NO_KEYCHAIN_ENV: NodeJS.ProcessEnv = {
  DBUS_SESSION_BUS_ADDRESS: "unix:path=/nonexistent/hedge-test-bus",
};

/** Runs `hedge` with HEDGE_HOME and the test Secret Service. */
export function hedge(
  hedgeHome: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; input?: string } = {},
): Promise<HedgeRun> {
  return runHedge(args, {
    env: { HEDGE_HOME: hedgeHome, ...SECRET_SERVICE_ENV, ...options.env },
    ...(options.input === undefined ? {} : { input: options.input }),
  });
}

/** `hedge auth login` with the key on stdin. */
export function login(
  hedgeHome: string,
  args: readonly string[],
  key: string,
  env: NodeJS.ProcessEnv = {},
): Promise<HedgeRun> {
  return hedge(hedgeHome, ["auth", "login", ...args], { input: `${key}\n`, env });
}

/**
 * A fake vendor CLI (codex / claude): its login writes the login file into the home named by
 * its home variable and prints that variable; FAKE_VENDOR_EXIT makes it fail.
 */
export function fakeVendor(homeEnv: string, loginFile: string): string {
  const path = join(dir(), "fake-vendor.mjs");
  writeFileSync(
    path,
    [
      "#!/usr/bin/env node",
      'import { writeFileSync } from "node:fs";',
      'import { join } from "node:path";',
      `const home = process.env[${JSON.stringify(homeEnv)}];`,
      'const code = Number(process.env["FAKE_VENDOR_EXIT"] ?? "0");',
      `process.stdout.write("fake vendor " + process.argv.slice(2).join(" ") + " in " + home + "\\n");`,
      `if (code === 0) writeFileSync(join(home, ${JSON.stringify(loginFile)}), "{}");`,
      "process.exit(code);",
    ].join("\n"),
  );
  chmodSync(path, 0o755);
  return path;
}

export function parse<T>(text: string): T {
  return JSON.parse(text) as T;
}

export interface ListedProfile {
  name: string;
  provider: string;
  kind: string;
  store: string;
  active: boolean;
  region: string | null;
  labels: string[];
  home?: string;
  url?: string;
  key?: string;
  logged_in?: boolean;
}
