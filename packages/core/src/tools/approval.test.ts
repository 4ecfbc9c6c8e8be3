import { describe, expect, it } from "vitest";
import {
  denyAllApprovals,
  describeCommand,
  planExecApproval,
  shouldOfferUnsandboxedRetry,
} from "./approval.js";
import { isKnownSafeCommand } from "./safe-command.js";

describe("planExecApproval", () => {
  const plan = (
    policy: Parameters<typeof planExecApproval>[0]["policy"],
    command: string[],
    escalationRequested = false,
    mode: Parameters<typeof planExecApproval>[0]["mode"] = "workspace-write",
  ) => planExecApproval({ policy, mode, command, escalationRequested });

  it("untrusted: known-safe commands run sandboxed, others ask", () => {
    expect(plan("untrusted", ["git", "status"])).toEqual({ action: "run", sandboxed: true });
    expect(plan("untrusted", ["npm", "test"])).toMatchObject({ action: "ask", sandboxed: true });
    expect(plan("untrusted", ["ls"], true)).toMatchObject({ action: "ask", sandboxed: false });
    expect(plan("untrusted", ["npm", "test"], false, "danger-full-access")).toMatchObject({
      action: "ask",
      sandboxed: false,
    });
  });

  it("on-request: runs sandboxed; escalation asks to leave the sandbox", () => {
    expect(plan("on-request", ["npm", "test"])).toEqual({ action: "run", sandboxed: true });
    expect(plan("on-request", ["npm", "install"], true)).toMatchObject({
      action: "ask",
      sandboxed: false,
    });
    // Nothing to escalate from without a sandbox.
    expect(plan("on-request", ["npm", "install"], true, "danger-full-access")).toEqual({
      action: "run",
      sandboxed: false,
    });
  });

  it("on-failure and never: run sandboxed without asking first", () => {
    expect(plan("on-failure", ["npm", "test"], true)).toEqual({ action: "run", sandboxed: true });
    expect(plan("never", ["rm", "-rf", "build"], true)).toEqual({ action: "run", sandboxed: true });
    expect(plan("never", ["rm", "-rf", "build"], false, "read-only")).toEqual({
      action: "run",
      sandboxed: true,
    });
  });
});

describe("shouldOfferUnsandboxedRetry", () => {
  const base = { policy: "on-failure" as const, sandboxed: true, exitCode: 1, timedOut: false };
  it("offers a retry for failures that look like the sandbox's doing", () => {
    expect(
      shouldOfferUnsandboxedRetry({
        ...base,
        output: "touch: cannot touch '/root/x': Read-only file system",
      }),
    ).toBe(true);
    expect(
      shouldOfferUnsandboxedRetry({
        ...base,
        output: "curl: (6) Could not resolve host: example.com",
      }),
    ).toBe(true);
  });
  it("not for ordinary failures, timeouts, other policies or unsandboxed runs", () => {
    expect(shouldOfferUnsandboxedRetry({ ...base, output: "1 test failed" })).toBe(false);
    expect(shouldOfferUnsandboxedRetry({ ...base, exitCode: 0, output: "permission denied" })).toBe(
      false,
    );
    expect(
      shouldOfferUnsandboxedRetry({ ...base, timedOut: true, output: "permission denied" }),
    ).toBe(false);
    expect(
      shouldOfferUnsandboxedRetry({ ...base, policy: "never", output: "permission denied" }),
    ).toBe(false);
    expect(
      shouldOfferUnsandboxedRetry({ ...base, sandboxed: false, output: "permission denied" }),
    ).toBe(false);
  });
});

describe("isKnownSafeCommand", () => {
  it.each([
    [["ls", "-la"]],
    [["cat", "README.md"]],
    [["/usr/bin/rg", "-n", "TODO"]],
    [["git", "diff", "--stat"]],
    [["git", "branch", "--show-current"]],
    [["sed", "-n", "10,20p", "a.ts"]],
    [["find", ".", "-name", "x.ts"]],
    [["bash", "-lc", "git status && ls -la | head -n 5; wc -l 'a b.txt'"]],
  ])("%j is safe", (command) => {
    expect(isKnownSafeCommand(command)).toBe(true);
  });

  it.each([
    [["rm", "-rf", "/"]],
    [["npm", "test"]],
    [["find", ".", "-delete"]],
    [["find", ".", "-exec", "rm", "{}", ";"]],
    [["rg", "--pre", "sh", "x"]],
    [["git", "commit", "-m", "x"]],
    [["git", "branch", "-D", "main"]],
    [["git", "diff", "--output=/tmp/x"]],
    [["sed", "-i", "s/a/b/", "a.ts"]],
    [["bash", "-lc", "ls > out.txt"]],
    [["bash", "-lc", "echo $(rm -rf x)"]],
    [["bash", "-lc", "ls && rm x"]],
    [["bash", "-lc", "cat x &"]],
    [["sh", "-c", 'echo "$HOME"']],
    [[]],
  ])("%j is not", (command) => {
    expect(isKnownSafeCommand(command)).toBe(false);
  });
});

describe("helpers", () => {
  it("denyAllApprovals denies, as in exec", async () => {
    expect(await denyAllApprovals()).toEqual({ type: "deny" });
  });
  it("describeCommand quotes what needs quoting", () => {
    expect(describeCommand(["git", "commit", "-m", "it's done"])).toBe(
      "`git commit -m 'it'\\''s done'`",
    );
  });
});
