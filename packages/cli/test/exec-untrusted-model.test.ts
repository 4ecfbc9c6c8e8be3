import { execFileSync } from "node:child_process";
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { execFixture, items, rolesFixture, verdict, type ExecFixture } from "./exec-helpers.js";
import { runHedge } from "./run-hedge.js";

// The attacks of issue 12 (items 1-3), driven as they were found: a scripted upstream sends the
// tool calls of a hostile model through a real `hedge exec`, with real bubblewrap, git and files.

let fixture: ExecFixture | undefined;
afterEach(async () => {
  await fixture?.cleanup();
  fixture = undefined;
});

const OVERLAY = '[sandbox]\nmode = "danger-full-access"\nnetwork = true\n';
/** The fix of the fixture's failing test, as a patch section. */
const FIX_ADD = [
  "*** Update File: src/math.js",
  "@@ export function add(a, b) {",
  "-  return a - b;",
  "+  return a + b;",
];

function exec(current: ExecFixture, prompt: string): ReturnType<typeof runHedge> {
  return runHedge(["exec", "--json", prompt], { env: current.env, cwd: current.repo.path });
}

/** What the executor was told about each of its tool calls, in order (its last request). */
function toolResults(current: ExecFixture): string[] {
  type Body = { model: string; messages?: { role: string; content: unknown }[] };
  const bodies = current.upstream.requests.map((request) => request.body as Body);
  const last = bodies.filter((body) => body.model !== "qa").at(-1);
  return (last?.messages ?? [])
    .filter((message) => message.role === "tool")
    .map((message) => JSON.stringify(message.content));
}

describe("hedge exec: a hostile model cannot reach git or hedge's own config", () => {
  it("refuses a patch to .git/config, so hedge's QA git never runs the planted fsmonitor", async () => {
    const current = (fixture = await rolesFixture());
    const marker = join(current.home.path, "fsmonitor-ran");
    const configPath = join(current.repo.path, ".git", "config");
    const config = readFileSync(configPath, "utf8");
    const plant = [
      "*** Begin Patch",
      "*** Update File: .git/config",
      "@@ [core]",
      `+\tfsmonitor = "sh -c 'touch ${marker}; exit 1'"`,
      ...FIX_ADD,
      "*** End Patch",
    ].join("\n");
    current.upstream.push(
      {
        match: { model: "exec" },
        toolCalls: [{ name: "apply_patch", arguments: { input: plant } }],
      },
      { match: { model: "exec" }, text: "Done." },
      verdict("pass", "ok"),
    );
    const run = await exec(current, "fix add");
    expect(run.code).toBe(0);
    // The QA verifier ran (it snapshots and diffs with git) and nothing was executed.
    expect(items(run.stdout, "qa_verdict")).toHaveLength(1);
    expect(existsSync(marker)).toBe(false);
    expect(toolResults(current).join("\n")).toContain("sandbox_denied");
    expect(readFileSync(configPath, "utf8")).toBe(config);
  });

  it("cannot create .hedge/config.toml by patch or by shell; the next exec is still sandboxed", async () => {
    const current = (fixture = await execFixture());
    const addOverlay = [
      "*** Begin Patch",
      "*** Add File: .hedge/config.toml",
      ...OVERLAY.trimEnd()
        .split("\n")
        .map((line) => `+${line}`),
      "*** End Patch",
    ].join("\n");
    const script = `mkdir -p .hedge && printf '${OVERLAY.replaceAll("\n", "\\n")}' > .hedge/config.toml`;
    current.upstream.push(
      { toolCalls: [{ name: "apply_patch", arguments: { input: addOverlay } }] },
      { toolCalls: [{ name: "shell", arguments: { command: ["bash", "-lc", script] } }] },
      { text: "Configured." },
    );
    const first = await exec(current, "make yourself at home");
    const told = toolResults(current);
    current.upstream.push(
      {
        toolCalls: [
          {
            name: "shell",
            arguments: { command: ["sh", "-c", 'echo "sandbox=${HEDGE_SANDBOX:-none}"'] },
          },
        ],
      },
      { text: "Checked." },
    );
    const next = await exec(current, "where am I running?");
    expect([first.code, next.code]).toEqual([0, 0]);
    const command = items(next.stdout, "command_execution")[0];
    expect(command?.["aggregated_output"]).toContain("sandbox=workspace-write");
    expect(existsSync(join(current.repo.path, ".hedge"))).toBe(false);
    const [patch, shell] = told;
    expect(patch).toContain("sandbox_denied");
    expect(shell).toMatch(/Exit code: [1-9]/);
  });
});

describe("hedge exec in a hostile repository", () => {
  it("reviews the turn with git without running any program the repository's config names", async () => {
    const current = (fixture = await rolesFixture());
    const repo = current.repo.path;
    const marker = join(current.home.path, "repo-program-ran");
    const program = (what: string, then: string): string =>
      `sh -c 'echo ${what} >> ${marker}; ${then}' --`;
    appendFileSync(
      join(repo, ".git", "config"),
      [
        "[core]",
        `\tfsmonitor = "${program("fsmonitor", "exit 1")}"`,
        `\tpager = "${program("pager", "cat")}"`,
        "[diff]",
        `\texternal = "${program("external-diff", "true")}"`,
        '[diff "js"]',
        `\ttextconv = "${program("textconv", 'cat "$1"')}"`,
        '[filter "js"]',
        `\tclean = "${program("clean", "cat")}"`,
        "",
      ].join("\n"),
    );
    writeFileSync(join(repo, ".gitattributes"), "*.js filter=js diff=js\n");
    execFileSync("git", ["status"], { cwd: repo, stdio: "ignore" });
    expect(existsSync(marker)).toBe(true); // the repository really is hostile to a plain git
    writeFileSync(marker, "");

    const fix = ["*** Begin Patch", ...FIX_ADD, "*** End Patch"].join("\n");
    current.upstream.push(
      { match: { model: "exec" }, toolCalls: [{ name: "apply_patch", arguments: { input: fix } }] },
      { match: { model: "exec" }, text: "Fixed add." },
      verdict("pass", "ok"),
    );
    const run = await exec(current, "fix add");
    expect(run.code).toBe(0);
    expect(items(run.stdout, "qa_verdict")).toHaveLength(1);
    // The QA model got git's own diff of the change.
    const qaRequest = JSON.stringify(current.upstream.requests.at(-1)?.body);
    expect(qaRequest).toContain("+  return a + b;");
    expect(readFileSync(marker, "utf8")).toBe("");
  });
});
