#!/usr/bin/env node
// One-step setup for a fresh clone with only Node >= 20 and npm:
//   node scripts/setup.mjs [run|test]
// installs the OS tools that are missing (scripts/provision.mjs: `run` for hedge and the demo, the
// default; `test` adds what the test suite needs), then the workspace with the pinned pnpm
// (through npx, so pnpm need not be installed), then builds the `hedge` binary.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const set = process.argv[2] ?? "run";
const pnpm = "pnpm@12.4.2";
const env = { ...process.env };
// Native modules (better-sqlite3) must build against local Node headers: no downloads here.
// pnpm does not read npm's global `nodedir`, so pass it through the environment.
if (!env.npm_config_nodedir && existsSync("/usr/include/node/node.h"))
  env.npm_config_nodedir = "/usr";

function run(command, args) {
  const result = spawnSync(command, args, { stdio: "inherit", env });
  if (result.status !== 0) {
    console.error(
      `setup: \`${command} ${args.join(" ")}\` failed (exit ${result.status ?? result.signal}).`,
    );
    process.exit(1);
  }
}

// provision.mjs explains itself when it cannot install; setup then stops without a second line.
const provision = fileURLToPath(new URL("provision.mjs", import.meta.url));
const provisioned = spawnSync(process.execPath, [provision, set], { stdio: "inherit", env });
if (provisioned.status !== 0) process.exit(1);

const frozen = env.CI ? ["--frozen-lockfile"] : [];
run("npx", ["--yes", pnpm, "install", "--reporter=append-only", ...frozen]);
run("npx", ["--yes", pnpm, "run", "build"]);
