// `pnpm eval:scripted`: every eval task against the scripted CI model through the built hedge
// binary (a harness test: the rates measure hedge, not a model). Checks the expected 23/28
// pass@1 and 26/28 after feedback, and copies the report and plot to evals/sample/.
import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { scriptedEvalHome } from "./evals/scripted-home.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const tasksRoot = join(root, "evals", "tasks");
const bin = join(root, "packages", "cli", "dist", "hedge.js");
const extra = process.argv.slice(2);
const fixture = await scriptedEvalHome(tasksRoot, [
  "prices = { coder = { input = 1.0, output = 4.0 } }",
]);
try {
  // Asynchronously: the scripted upstream answers from this process's event loop.
  const child = spawn(
    process.execPath,
    [
      bin,
      "eval",
      "run",
      "--model",
      "scripted/coder",
      "--scripted",
      "--parallel",
      "2",
      "--tasks-dir",
      tasksRoot,
      "--json",
      ...extra,
    ],
    { env: { PATH: process.env["PATH"], ...fixture.env }, stdio: ["ignore", "pipe", "inherit"] },
  );
  let stdout = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  if (code !== 0) throw new Error(`hedge eval run exited ${code}`);
  const report = JSON.parse(stdout) as {
    run: string;
    arms: {
      label: string;
      pass_1: { x: number; n: number };
      pass_2: { x: number; n: number };
      tool_calls_per_solved: number | null;
    }[];
  };
  const runDir = join(fixture.home, "hedge", "evals", "runs", report.run);
  const sample = join(root, "evals", "sample");
  mkdirSync(sample, { recursive: true });
  for (const file of ["report.md", "plot.svg", "plot.png"])
    if (existsSync(join(runDir, file))) copyFileSync(join(runDir, file), join(sample, file));
  process.stdout.write(readFileSync(join(runDir, "report.md"), "utf8"));
  let failed = false;
  // The expected counts hold for the whole task set only.
  const whole = !extra.includes("--tasks");
  for (const arm of whole ? report.arms : []) {
    const expected = { pass_1: 23, pass_2: 26, n: 28 };
    const ok =
      arm.pass_1.x === expected.pass_1 &&
      arm.pass_2.x === expected.pass_2 &&
      arm.pass_1.n === expected.n;
    process.stdout.write(
      `${ok ? "ok" : "UNEXPECTED"}: ${arm.label} pass@1 ${arm.pass_1.x}/${arm.pass_1.n}, after feedback ${arm.pass_2.x}/${arm.pass_2.n} (expected 23/28, 26/28)\n`,
    );
    if (!ok) failed = true;
  }
  process.exitCode = failed ? 1 : 0;
} finally {
  await fixture.upstream.close();
  if (!process.env["KEEP"]) rmSync(fixture.home, { recursive: true, force: true });
  else process.stderr.write(`kept ${fixture.home}\n`);
}
