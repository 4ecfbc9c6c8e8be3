// vitest globalSetup (auth and cli projects): a real Secret Service for the keychain suites.
// Always a private session bus with its own gnome-keyring in a temp HOME (never the developer's
// own keychain, and independent of any session .ci/run starts), exported to the tests and the
// hedge processes they start, stopped after. Without dbus-daemon or gnome-keyring the run fails:
// the keychain suites never skip.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export default function setup(): () => void {
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
    stop(busPid, root);
    throw new Error(
      `the keychain tests need a Secret Service (dbus-daemon and gnome-keyring-daemon): run \`node scripts/provision.mjs test\` to install what is missing; ${String(error)}`,
    );
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
