import { mkdir, mkdtemp, realpath, rm, writeFile } from "node:fs/promises";
import { homedir, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { shellEnvironmentPolicySchema } from "../config-schema.js";
import type { ApprovalAnswer, ApprovalRequest } from "./approval-schema.js";
import { resolveDenyRead } from "./read-guard.js";
import { SecretRedactor } from "./redact.js";
import type { ToolContext } from "./tool.js";
import { buildToolEnvironment } from "./tool-environment.js";

/** A real temporary directory for a test; `files` are written relative to it. */
export async function makeTempDir(
  files: Record<string, string> = {},
  prefix = "hedge-tools-",
): Promise<string> {
  const directory = await realpath(await mkdtemp(join(tmpdir(), prefix)));
  for (const [path, contents] of Object.entries(files)) {
    await mkdir(dirname(join(directory, path)), { recursive: true });
    await writeFile(join(directory, path), contents);
  }
  return directory;
}

export async function removeDir(directory: string): Promise<void> {
  await rm(directory, { recursive: true, force: true });
}

/** An approver that records what it was asked and answers `decision` (`hedge exec` always denies). */
export function recordingApprover(decision: ApprovalAnswer): {
  requests: ApprovalRequest[];
  approve: (request: ApprovalRequest) => Promise<ApprovalAnswer>;
} {
  const requests: ApprovalRequest[] = [];
  return {
    requests,
    approve: (request) => {
      requests.push(request);
      return Promise.resolve(decision);
    },
  };
}

/**
 * A tool context rooted at `workspace`: workspace-write, no network, on-request, approvals denied,
 * the default environment policy and deny list, no secrets.
 */
export function makeContext(workspace: string, overrides: Partial<ToolContext> = {}): ToolContext {
  const redactor = new SecretRedactor();
  return {
    env: buildToolEnvironment(process.env, shellEnvironmentPolicySchema.parse({}), {
      variables: [],
      redactor,
    }),
    denyRead: resolveDenyRead([]),
    redactor,
    workspace,
    cwd: workspace,
    writableRoots: [],
    sandboxMode: "workspace-write",
    network: false,
    approvalPolicy: "on-request",
    approve: () => Promise.resolve({ type: "deny" }),
    signal: new AbortController().signal,
    ...overrides,
  };
}

/**
 * A temporary directory outside the workspace AND outside the temp dir (workspace-write keeps
 * /tmp writable): the home directory unless it lies under the temp dir (as in a fresh-clone
 * check with HOME in /tmp), else /var/tmp.
 */
export async function makeOutsideDir(prefix: string): Promise<string> {
  const temp = await realpath(tmpdir());
  for (const base of [homedir(), "/var/tmp"]) {
    try {
      const real = await realpath(base);
      if (real === temp || real.startsWith(`${temp}/`)) continue;
      return await realpath(await mkdtemp(join(real, prefix)));
    } catch {
      // not usable: try the next one
    }
  }
  throw new Error("no writable directory outside the temp dir for the sandbox tests");
}
