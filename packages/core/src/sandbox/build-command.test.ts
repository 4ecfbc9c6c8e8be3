import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeTempDir, removeDir } from "../tools/test-support.js";
import { findBwrap, SandboxUnavailableError } from "./bwrap.js";
import { buildSandboxedCommand, type SandboxOptions } from "./build-command.js";

let workspace: string;
let extraRoot: string;
let options: SandboxOptions;

beforeEach(async () => {
  workspace = await makeTempDir();
  extraRoot = await makeTempDir();
  await mkdir(join(workspace, ".git"));
  options = {
    mode: "workspace-write",
    workspace,
    writableRoots: [extraRoot],
    network: false,
    cwd: workspace,
    tmpdir: "/tmp",
  };
});
afterEach(async () => {
  await removeDir(workspace);
  await removeDir(extraRoot);
});

/** `["--bind", a, a, "--ro-bind", b, b]` → `["--bind a", "--ro-bind b"]`, for readable assertions. */
function mounts(args: readonly string[]): string[] {
  const result: string[] = [];
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] ?? "";
    if (["--bind", "--ro-bind"].includes(arg)) {
      result.push(`${arg} ${args[index + 1] ?? ""}`);
      index += 2;
    } else if (["--tmpfs", "--dev", "--proc"].includes(arg)) {
      result.push(`${arg} ${args[index + 1] ?? ""}`);
      index += 1;
    }
  }
  return result;
}

describe("buildSandboxedCommand", () => {
  it("workspace-write: read-only root, writable tmp, workspace and roots, .git and .hedge read-only, no network", () => {
    const { command, args } = buildSandboxedCommand(["npm", "test"], options);
    expect(command).toMatch(/bwrap$/);
    expect(args.slice(0, 4)).toEqual([
      "--new-session",
      "--die-with-parent",
      "--unshare-pid",
      "--unshare-net",
    ]);
    expect(mounts(args).slice(0, 6)).toEqual([
      "--ro-bind /",
      "--dev /dev",
      "--proc /proc",
      "--bind /tmp",
      `--bind ${workspace}`,
      `--bind ${extraRoot}`,
    ]);
    // .git and .hedge of every writable root, existing or not (a missing one gets a placeholder
    // from prepareSandboxedCommand; built without it, bubblewrap refuses to start).
    expect(mounts(args).slice(6).sort()).toEqual(
      [
        `--ro-bind ${join(extraRoot, ".git")}`,
        `--ro-bind ${join(extraRoot, ".hedge")}`,
        `--ro-bind ${join(workspace, ".git")}`,
        `--ro-bind ${join(workspace, ".hedge")}`,
      ].sort(),
    );
    expect(args.slice(-5)).toEqual(["--chdir", workspace, "--", "npm", "test"]);
  });

  it("read-only: a private /tmp and the workspace visible but not writable", () => {
    const { args } = buildSandboxedCommand(["ls"], { ...options, mode: "read-only" });
    expect(mounts(args)).toEqual([
      "--ro-bind /",
      "--dev /dev",
      "--proc /proc",
      "--tmpfs /tmp",
      `--ro-bind ${workspace}`,
      `--ro-bind ${extraRoot}`,
    ]);
    expect(args).not.toContain("--bind");
  });

  it("keeps the network when allowed", () => {
    expect(buildSandboxedCommand(["ls"], { ...options, network: true }).args).not.toContain(
      "--unshare-net",
    );
  });

  it("danger-full-access: no sandbox at all", () => {
    expect(
      buildSandboxedCommand(["npm", "test"], { ...options, mode: "danger-full-access" }),
    ).toEqual({
      command: "npm",
      args: ["test"],
    });
  });

  it("fails with the package to install when bubblewrap is missing, never unsandboxed", () => {
    expect(() =>
      buildSandboxedCommand(["ls"], { ...options, bwrapPath: "/nonexistent/bwrap" }),
    ).toThrow(SandboxUnavailableError);
    expect(() => findBwrap(undefined, "/nonexistent:/also-not-here")).toThrow(
      /install bubblewrap: apt-get install bubblewrap/,
    );
    // A missing bwrap does not matter when no sandbox is wanted.
    expect(
      buildSandboxedCommand(["ls"], {
        ...options,
        mode: "danger-full-access",
        bwrapPath: "/nonexistent/bwrap",
      }).command,
    ).toBe("ls");
  });
});
