#!/usr/bin/env node
// The OS parts hedge needs, installed where they are missing. Dependency-free on purpose: it runs
// before `pnpm install` (the native build needs a compiler) and before any test.
//   node scripts/provision.mjs [run|test] [--check]
// `run`: building and running hedge (the demo included); `test`: that plus what the test suite
// starts. `--check` installs nothing: it names what is missing and the command that installs it.
// Presence is decided by the binary on PATH (as `command -v` does), never by a package database,
// so a tool installed from source or another package counts.
import { spawnSync } from "node:child_process";
import { accessSync, constants, statSync } from "node:fs";
import { delimiter, isAbsolute, join } from "node:path";

/**
 * The one list of OS tools (no other list exists: .ci/run and setup.mjs come through here).
 * One row per binary: the sets that need it, why, and its package per manager (`undefined`: that
 * manager has none, e.g. bubblewrap on macOS). Adding a tool is adding a row.
 */
const TOOLS = [
  { binary: "git", sets: ["run", "test"], why: "hedge works in git repositories", apt: "git", dnf: "git", brew: "git" },
  { binary: "make", sets: ["run", "test"], why: "building better-sqlite3", apt: "make", dnf: "make", brew: undefined },
  { binary: "g++", sets: ["run", "test"], why: "building better-sqlite3", apt: "g++", dnf: "gcc-c++", brew: undefined },
  { binary: "python3", sets: ["run", "test"], why: "building better-sqlite3", apt: "python3", dnf: "python3", brew: "python3" },
  { binary: "bwrap", sets: ["run", "test"], why: "hedge's sandbox", apt: "bubblewrap", dnf: "bubblewrap", brew: undefined, linuxOnly: true },
  { binary: "redis-server", sets: ["test"], why: "the Redis store tests", apt: "redis-server", dnf: "redis", brew: "redis" },
  { binary: "dbus-daemon", sets: ["test"], why: "the keychain tests", apt: "dbus", dnf: "dbus-daemon", brew: undefined, linuxOnly: true },
  { binary: "gnome-keyring-daemon", sets: ["test"], why: "the keychain tests", apt: "gnome-keyring", dnf: "gnome-keyring", brew: undefined, linuxOnly: true },
  { binary: "rg", sets: ["test"], why: "the grep tool's tests", apt: "ripgrep", dnf: "ripgrep", brew: "ripgrep" },
  { binary: "tmux", sets: ["test"], why: "the interactive session's real-terminal tests", apt: "tmux", dnf: "tmux", brew: "tmux" },
  { binary: "chromium", sets: ["test"], why: "the MCP browser recipe tests (Playwright, Chrome DevTools)", apt: "chromium", dnf: "chromium", brew: undefined, linuxOnly: true },
]; // prettier-ignore

/** Package managers in the order they are looked for; `install` is the argv after the binary. */
const MANAGERS = [
  { name: "apt", binary: "apt-get", install: ["install", "-y", "-qq", "--no-install-recommends"], root: true },
  { name: "dnf", binary: "dnf", install: ["install", "-y", "-q"], root: true },
  { name: "brew", binary: "brew", install: ["install", "--quiet"], root: false },
]; // prettier-ignore

const SETS = ["run", "test"];

function fail(message) {
  console.error(`provision: ${message}`);
  process.exit(1);
}

function parseArguments(argv) {
  let set = "run";
  let check = false;
  for (const argument of argv) {
    if (argument === "--check") check = true;
    else if (SETS.includes(argument)) set = argument;
    else
      fail(
        `unknown argument ${JSON.stringify(argument)}; usage: provision.mjs [run|test] [--check]`,
      );
  }
  return { set, check };
}

/** The executable called `name` on PATH, like `command -v`. */
function onPath(name) {
  for (const directory of (process.env.PATH ?? "").split(delimiter)) {
    if (directory === "" || !isAbsolute(directory)) continue;
    const candidate = join(directory, name);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

function missingTools(set) {
  return TOOLS.filter(
    (tool) =>
      tool.sets.includes(set) &&
      !(tool.linuxOnly && process.platform !== "linux") &&
      onPath(tool.binary) === undefined,
  );
}

function describe(tools) {
  return tools.map((tool) => `${tool.binary} (${tool.why})`).join(", ");
}

function noninteractive(manager) {
  return manager.name === "apt" ? ["DEBIAN_FRONTEND=noninteractive"] : [];
}

/** How to run the manager: directly, through passwordless sudo, or not at all (with the reason). */
function privilege(manager) {
  if (!manager.root || process.getuid?.() === 0) return { prefix: [] };
  const sudo = onPath("sudo");
  if (sudo && spawnSync(sudo, ["-n", "true"], { stdio: "ignore" }).status === 0) {
    // sudo resets the environment; apt-get must still see DEBIAN_FRONTEND.
    return { prefix: [sudo, "-n", "env", ...noninteractive(manager)] };
  }
  return { refused: "not root and no passwordless sudo" };
}

/** The command a person would type to install `packages` (apt's lists refreshed first). */
function commandLine(manager, packages) {
  const sudo = manager.root && process.getuid?.() !== 0 ? "sudo " : "";
  const install = `${sudo}${manager.binary} install ${manager.root ? "-y " : ""}${packages.join(" ")}`;
  return manager.name === "apt" ? `${sudo}apt-get update && ${install}` : install;
}

/** Runs one step quietly; on failure shows its output and exits. */
function runQuietly(argv, environment) {
  const [command = "", ...rest] = argv;
  const result = spawnSync(command, rest, {
    env: environment,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (result.status === 0) return;
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}`.trim().split("\n").slice(-15);
  if (output.length > 0 && output[0] !== "") console.error(output.join("\n"));
  fail(
    `\`${argv.join(" ")}\` failed (exit ${result.status ?? result.signal ?? result.error?.message}).`,
  );
}

function main() {
  const { set, check } = parseArguments(process.argv.slice(2));
  const missing = missingTools(set);
  if (missing.length === 0) {
    if (check)
      console.log(
        `provision: everything ${set === "test" ? "the tests need" : "hedge needs"} is installed`,
      );
    return;
  }

  const manager = MANAGERS.find((candidate) => onPath(candidate.binary) !== undefined);
  const what = `missing for ${set === "test" ? "the tests" : "hedge"}: ${describe(missing)}`;
  if (manager === undefined) {
    const apt = missing.map((tool) => tool.apt);
    const dnf = missing.map((tool) => tool.dnf);
    fail(
      `${what}.\nNo apt-get, dnf or brew found; install them with your package manager, e.g. ` +
        `\`apt-get install -y ${apt.join(" ")}\` or \`dnf install -y ${dnf.join(" ")}\`.`,
    );
  }
  const unpackaged = missing.filter((tool) => tool[manager.name] === undefined);
  if (unpackaged.length > 0) {
    // On macOS, make and g++ come with Xcode's command line tools, not with brew.
    const otherwise = manager.name === "brew" ? " (make, g++: xcode-select --install)" : "";
    const names = unpackaged.map((tool) => tool.binary).join(", ");
    fail(
      `${what}.\n${manager.binary} has no package for ${names}; install it another way${otherwise}.`,
    );
  }
  const packages = missing.map((tool) => tool[manager.name]);
  const access = check ? { refused: "--check installs nothing" } : privilege(manager);
  if (access.refused !== undefined) {
    fail(
      `${what}.\nNothing was installed (${access.refused}). Install them with:\n  ${commandLine(manager, packages)}`,
    );
  }

  console.log(
    `provision: installing ${packages.join(" ")} with ${manager.binary}, for ${describe(missing)}`,
  );
  const started = performance.now();
  const environment = { ...process.env };
  if (manager.name === "apt") environment.DEBIAN_FRONTEND = "noninteractive";
  const managerPath = onPath(manager.binary) ?? manager.binary;
  // Package lists may be absent or stale on a fresh machine; refresh them only when installing.
  if (manager.name === "apt")
    runQuietly([...access.prefix, managerPath, "update", "-qq"], environment);
  runQuietly([...access.prefix, managerPath, ...manager.install, ...packages], environment);
  const stillMissing = missingTools(set);
  if (stillMissing.length === 0) {
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`provision: installed ${packages.join(" ")} in ${seconds} s`);
    return;
  }
  fail(`${manager.binary} finished, but these are still not on PATH: ${describe(stillMissing)}.`);
}

main();
