// vitest globalSetup (auth and cli projects): a real Secret Service for the keychain suites.
// CI (.ci/run) already runs everything inside dbus-run-session with an unlocked gnome-keyring;
// elsewhere, when no session bus is set, start a private one with its own keyring in a temp
// HOME, export its address to the tests (and the hedge processes they start), and stop it after.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export default function setup(): () => void {
  if (process.env["DBUS_SESSION_BUS_ADDRESS"]) return () => undefined;
  const root = mkdtempSync(join(tmpdir(), "hedge-secret-service-"));
  let busPid: number | undefined;
  try {
    const printed = execFileSync(
      "dbus-daemon",
      ["--session", "--fork", "--print-address=1", "--print-pid=1"],
      { encoding: "utf8", timeout: 10_000 },
    ).split("\n");
    const address = printed[0]?.trim() ?? "";
    busPid = Number(printed[1]);
    const env = {
      ...process.env,
      DBUS_SESSION_BUS_ADDRESS: address,
      HOME: join(root, "home"),
      XDG_DATA_HOME: join(root, "data"),
      XDG_RUNTIME_DIR: join(root, "run"),
    };
    for (const directory of [env.HOME, env.XDG_DATA_HOME, env.XDG_RUNTIME_DIR]) {
      mkdirSync(directory, { recursive: true, mode: 0o700 });
    }
    // An empty password (one empty line) creates and unlocks the login keyring.
    const keyring = spawnSync(
      "gnome-keyring-daemon",
      ["--daemonize", "--unlock", "--components=secrets"],
      { input: "\n", env, encoding: "utf8", timeout: 10_000 },
    );
    if (keyring.status !== 0) throw new Error(`gnome-keyring-daemon: ${keyring.stderr}`);
    process.env["DBUS_SESSION_BUS_ADDRESS"] = address;
  } catch (error) {
    // No dbus/gnome-keyring here: the keychain suites report the keychain unreachable and skip.
    process.stderr.write(`secret-service setup: no private Secret Service (${String(error)})\n`);
    stop(busPid, root);
    return () => undefined;
  }
  return () => {
    delete process.env["DBUS_SESSION_BUS_ADDRESS"];
    stop(busPid, root);
  };
}

function stop(busPid: number | undefined, root: string): void {
  // gnome-keyring-daemon exits when its session bus goes away.
  if (busPid && Number.isInteger(busPid)) {
    try {
      process.kill(busPid, "SIGTERM");
    } catch {
      // already gone
    }
  }
  rmSync(root, { recursive: true, force: true });
}
