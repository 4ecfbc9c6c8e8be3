// scripts/provision.mjs run as a child process with a PATH made here: stub binaries stand for
// the installed tools, and fake package managers (and sudo) record how they were called, so
// nothing is ever installed.
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

/** The binaries the test set checks for, as a user would `command -v` them. */
const ALL = ["git", "make", "g++", "python3", "bwrap", "redis-server", "dbus-daemon"]
  .concat(["gnome-keyring-daemon", "rg", "tmux", "chromium"])
  .sort();

const source = fileURLToPath(new URL("provision.mjs", import.meta.url));
/** Temp directories of this test, removed after it. */
const roots: string[] = [];

interface Machine {
  /** Binaries present on PATH. */
  present: readonly string[];
  /** Fake package managers on PATH; each appends `<name> <argv>` to the log. */
  managers?: readonly string[];
  /** A fake sudo: `passwordless` runs the command, `password` refuses `-n`. */
  sudo?: "passwordless" | "password";
  /** A fake apt-get that records its calls and creates this binary when it installs. */
  installs?: string;
  /** Run the script as an unprivileged user (uid 65534 when the test runs as root). */
  asUser?: boolean;
}

interface Outcome {
  status: number | null;
  stdout: string;
  stderr: string;
  /** One line per call of a fake manager or sudo. */
  calls: string[];
}

function setUp(machine: Machine): { root: string; bin: string; script: string; log: string } {
  // World-readable so an unprivileged child can run the copy and the fakes, and append to the log.
  const root = mkdtempSync(join(tmpdir(), "hedge-provision-"));
  roots.push(root);
  chmodSync(root, 0o777);
  const bin = join(root, "bin");
  const log = join(root, "calls.log");
  const script = join(root, "provision.mjs");
  copyFileSync(source, script);
  writeFileSync(log, "");
  chmodSync(log, 0o666);
  mkdirSync(bin, { mode: 0o755 });
  for (const name of machine.present) writeExecutable(bin, name, "exit 0\n");
  for (const name of machine.managers ?? []) {
    writeExecutable(bin, name, `echo "${name} DEBIAN_FRONTEND=$DEBIAN_FRONTEND $*" >> ${log}\n`);
  }
  if (machine.installs !== undefined) {
    const created = join(bin, machine.installs);
    const body = `echo "apt-get $*" >> ${log}\nif [ "$1" = install ]; then printf '#!/bin/sh\\n' > ${created}; /bin/chmod 755 ${created}; fi\n`;
    writeExecutable(bin, "apt-get", body);
  }
  if (machine.sudo === "passwordless") {
    writeExecutable(
      bin,
      "sudo",
      `echo "sudo $*" >> ${log}\n[ "$1" = -n ] && shift\nPATH=/usr/bin:/bin exec "$@"\n`,
    );
  } else if (machine.sudo === "password") {
    writeExecutable(
      bin,
      "sudo",
      `echo "sudo $*" >> ${log}\necho "sudo: a password is required" >&2\nexit 1\n`,
    );
  }
  return { root, bin, script, log };
}

function writeExecutable(bin: string, name: string, body: string): void {
  const file = join(bin, name);
  writeFileSync(file, `#!/bin/sh\n${body}`);
  chmodSync(file, 0o755);
}

function provision(machine: Machine, ...args: string[]): Outcome {
  const { root, bin, script, log } = setUp(machine);
  const asNobody = machine.asUser === true && process.getuid?.() === 0;
  const result = spawnSync(process.execPath, [script, ...args], {
    env: { PATH: bin },
    encoding: "utf8",
    cwd: root,
    ...(asNobody ? { uid: 65534, gid: 65534 } : {}),
  });
  const calls = readFileSync(log, "utf8").split("\n").filter(Boolean);
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, calls };
}

const without = (...names: string[]): string[] => ALL.filter((name) => !names.includes(name));

afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

describe("provision.mjs decides from the binaries on PATH", () => {
  it("does nothing and prints nothing when every tool of the set is there", () => {
    const outcome = provision({ present: ALL, managers: ["apt-get"] }, "test");
    expect(outcome).toMatchObject({ status: 0, stdout: "", stderr: "", calls: [] });
  });

  it("installs only what is missing, with apt-get update first, quietly and non-interactive", () => {
    const outcome = provision({ present: without("bwrap", "rg"), managers: ["apt-get"] }, "test");
    expect(outcome.calls).toEqual([
      "apt-get DEBIAN_FRONTEND=noninteractive update -qq",
      "apt-get DEBIAN_FRONTEND=noninteractive install -y -qq --no-install-recommends bubblewrap ripgrep",
    ]);
    expect(outcome.stdout).toBe(
      "provision: installing bubblewrap ripgrep with apt-get, for bwrap (hedge's sandbox), rg (the grep tool's tests)\n",
    );
    // The fake apt-get installs nothing, and the script checks again rather than trusting it.
    expect(outcome.status).toBe(1);
    expect(outcome.stderr).toContain("apt-get finished, but these are still not on PATH: bwrap");
  });

  it("says what it installed once the binaries are on PATH", () => {
    const outcome = provision(
      { present: without("bwrap"), managers: [], installs: "bwrap" },
      "run",
    );
    expect(outcome.calls).toEqual([
      "apt-get update -qq",
      "apt-get install -y -qq --no-install-recommends bubblewrap",
    ]);
    expect(outcome.stdout).toMatch(
      /^provision: installing bubblewrap with apt-get, for bwrap \(hedge's sandbox\)\nprovision: installed bubblewrap in \d+\.\d s\n$/,
    );
    expect(outcome).toMatchObject({ status: 0, stderr: "" });
  });

  it("asks for the test-only tools only when provisioning the tests", () => {
    const machine = { present: without("redis-server", "dbus-daemon"), managers: ["apt-get"] };
    expect(provision(machine, "run")).toMatchObject({ status: 0, calls: [] });
    expect(provision(machine, "test").calls).toContain(
      "apt-get DEBIAN_FRONTEND=noninteractive install -y -qq --no-install-recommends redis-server dbus",
    );
    // The default set is `run`: what the first README command needs.
    expect(provision({ ...machine, present: without("bwrap") }).calls).toContain(
      "apt-get DEBIAN_FRONTEND=noninteractive install -y -qq --no-install-recommends bubblewrap",
    );
  });

  it("uses Fedora's package names with dnf", () => {
    const outcome = provision(
      { present: without("redis-server", "g++", "gnome-keyring-daemon"), managers: ["dnf"] },
      "test",
    );
    expect(outcome.calls).toEqual([
      "dnf DEBIAN_FRONTEND= install -y -q gcc-c++ redis gnome-keyring",
    ]);
  });

  it("names what brew cannot install instead of installing half of it", () => {
    const outcome = provision({ present: without("bwrap", "rg"), managers: ["brew"] }, "test");
    expect(outcome.status).toBe(1);
    expect(outcome.calls).toEqual([]);
    expect(outcome.stderr).toContain("brew has no package for bwrap; install it another way");
  });

  it("without root or passwordless sudo, names what is missing and the command, and installs nothing", () => {
    const outcome = provision(
      {
        present: without("bwrap", "gnome-keyring-daemon"),
        managers: ["apt-get"],
        sudo: "password",
        asUser: true,
      },
      "test",
    );
    expect(outcome.status).toBe(1);
    expect(outcome.stdout).toBe("");
    expect(outcome.stderr).toBe(
      [
        "provision: missing for the tests: bwrap (hedge's sandbox), gnome-keyring-daemon (the keychain tests).",
        "Nothing was installed (not root and no passwordless sudo). Install them with:",
        "  sudo apt-get update && sudo apt-get install -y bubblewrap gnome-keyring",
        "",
      ].join("\n"),
    );
    expect(outcome.calls.filter((call) => call.startsWith("apt-get"))).toEqual([]);
  });

  it("installs through passwordless sudo when not root", () => {
    const outcome = provision(
      {
        present: without("redis-server"),
        managers: ["apt-get"],
        sudo: "passwordless",
        asUser: true,
      },
      "test",
    );
    expect(outcome.calls).toContain(
      "apt-get DEBIAN_FRONTEND=noninteractive install -y -qq --no-install-recommends redis-server",
    );
    expect(
      outcome.calls.some((call) => call.startsWith("sudo -n env DEBIAN_FRONTEND=noninteractive")),
    ).toBe(true);
  });

  it("--check installs nothing even as root, and says what to run", () => {
    const outcome = provision(
      { present: without("bwrap"), managers: ["apt-get"] },
      "run",
      "--check",
    );
    expect(outcome.status).toBe(1);
    expect(outcome.calls).toEqual([]);
    expect(outcome.stderr).toContain("apt-get install -y bubblewrap");
  });

  it("with no package manager it lists the Debian and Fedora commands", () => {
    const outcome = provision({ present: without("bwrap", "redis-server") }, "test");
    expect(outcome.status).toBe(1);
    expect(outcome.stderr).toContain("No apt-get, dnf or brew found");
    expect(outcome.stderr).toContain("`apt-get install -y bubblewrap redis-server`");
    expect(outcome.stderr).toContain("`dnf install -y bubblewrap redis`");
  });

  it("rejects an unknown set with its usage", () => {
    const outcome = provision({ present: ALL }, "tests");
    expect(outcome.status).toBe(1);
    expect(outcome.stderr).toBe(
      'provision: unknown argument "tests"; usage: provision.mjs [run|test] [--check]\n',
    );
  });
});
