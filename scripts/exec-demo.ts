// npm run exec-demo — hedge's main job on a machine with no model yet: `hedge exec` fixes a
// failing test in a throwaway git repository, with the model played by hedge's scripted upstream
// (a local server speaking the OpenAI API). Point hedge at a real model afterwards (README).
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startScriptedUpstream } from "@hedge/testkit";

const bin = fileURLToPath(new URL("../packages/cli/dist/hedge.js", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "hedge-demo-"));
const repo = join(work, "calc");
const home = join(work, "hedge-home");
mkdirSync(join(repo, "src"), { recursive: true });
mkdirSync(home);
writeFileSync(join(repo, "src", "math.js"), "export function add(a, b) {\n  return a - b;\n}\n");
writeFileSync(
  join(repo, "test.js"),
  'import { add } from "./src/math.js";\nif (add(2, 3) !== 5) {\n  console.error("FAIL add(2, 3) =", add(2, 3));\n  process.exit(1);\n}\nconsole.log("ok add(2, 3) = 5");\n',
);
writeFileSync(join(repo, "package.json"), '{ "type": "module" }\n');
const git = (...args: string[]): string =>
  execFileSync("git", ["-c", "user.email=demo@example.com", "-c", "user.name=demo", ...args], {
    cwd: repo,
    encoding: "utf8",
  });
git("init", "-q");
git("add", ".");
git("commit", "-qm", "a calculator with a bug");

const upstream = await startScriptedUpstream({
  script: {
    replies: [
      {
        text: "Let me run the tests first.",
        toolCalls: [{ name: "shell", arguments: { command: ["node", "test.js"] } }],
      },
      { toolCalls: [{ name: "read_file", arguments: { path: "src/math.js" } }] },
      {
        text: "add() subtracts; fixing it.",
        toolCalls: [
          {
            name: "apply_patch",
            arguments: {
              input:
                "*** Begin Patch\n*** Update File: src/math.js\n@@\n-  return a - b;\n+  return a + b;\n*** End Patch",
            },
          },
        ],
      },
      { toolCalls: [{ name: "shell", arguments: { command: ["node", "test.js"] } }] },
      { text: "Fixed `add` in src/math.js (it subtracted); `node test.js` passes now." },
      // The QA verifier (same scripted model here) checks the answer against the diff.
      {
        toolCalls: [
          {
            name: "report_verdict",
            arguments: {
              verdict: "pass",
              tasks: [],
              reason: "the diff fixes add() and the test run shows it passing",
            },
          },
        ],
      },
    ],
  },
});
writeFileSync(
  join(home, "config.toml"),
  `model = "demo/scripted"\n[providers.demo]\nbase_url = "${upstream.url}/v1"\nwire = "chat"\n`,
);

console.log(
  `demo repository: ${repo}\nmodel: hedge's scripted upstream at ${upstream.url} (no real model needed)\n`,
);
console.log(`$ hedge exec "make the tests pass"\n`);
// Asynchronous on purpose: the scripted upstream runs in this process and must keep answering.
const child = spawn(process.execPath, [bin, "exec", "make the tests pass"], {
  cwd: repo,
  env: { ...process.env, HEDGE_HOME: home },
  stdio: ["ignore", "inherit", "inherit"],
});
const status = await new Promise<number | null>((resolve) => child.on("close", resolve));
console.log(`\n$ git diff\n${git("diff")}`);
await upstream.close();
rmSync(work, { recursive: true, force: true });
process.exit(status ?? 1);
