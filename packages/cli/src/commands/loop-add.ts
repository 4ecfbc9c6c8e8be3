import { execFileSync } from "node:child_process";
import { buildLoopSpec, callDaemon, socketPath, type LoopAddInput } from "@hedge/daemon";
import { hedgeHome, type GlobalOptions } from "../context.js";
import { describeSchedule } from "./loop-format.js";
import { notifyDaemon, withLedger } from "./loop-ledger.js";

/** The branch checked out in `cwd`, for a bare `--on-commit`. */
function currentBranch(cwd: string): string | undefined {
  try {
    const name = execFileSync("git", ["-C", cwd, "symbolic-ref", "--quiet", "--short", "HEAD"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
      env: { PATH: process.env["PATH"] ?? "", GIT_CONFIG_NOSYSTEM: "1" },
    }).trim();
    return name || undefined;
  } catch {
    return undefined;
  }
}

const text = (value: unknown): string | undefined =>
  typeof value === "string" ? value : undefined;

/** `hedge loop add NAME …`: validated, written to the ledger; works with the daemon down. */
export async function runLoopAdd(
  name: string,
  rest: string[],
  options: Record<string, unknown>,
  globals: GlobalOptions = { configOverrides: [] },
): Promise<void> {
  const onCommit = options["onCommit"];
  const input: LoopAddInput = {
    name,
    rest,
    env: Array.isArray(options["env"]) ? (options["env"] as string[]) : [],
    ...(options["worktree"] === true ? { worktree: true } : {}),
    ...(options["webhook"] === true ? { webhook: true } : {}),
    ...(options["viaGateway"] === true ? { viaGateway: true } : {}),
    ...(onCommit === true || typeof onCommit === "string" ? { onCommit } : {}),
  };
  const keys = [
    "cron",
    "tz",
    "every",
    "at",
    "watch",
    "debounce",
    "agent",
    "cwd",
    "missed",
    "missedMaxAge",
    "overlap",
    "timeout",
    "budgetUsd",
    "maxTurns",
    "profile",
    "verify",
    "expires",
  ] as const;
  for (const key of keys) {
    const value = text(options[key]);
    if (value !== undefined) input[key] = value;
  }
  const now = Date.now();
  const cwd = process.cwd();
  const branch = onCommit === true ? currentBranch(text(options["cwd"]) ?? cwd) : undefined;
  const { spec, webhookSecret } = buildLoopSpec(input, {
    now,
    cwd,
    path: process.env["PATH"],
    ...(branch ? { currentBranch: branch } : {}),
  });
  const loop = await withLedger((ledger) => ledger.addLoop(spec, now));
  const running = await notifyDaemon();
  if (loop.viaGateway) await warnWithoutGateway(globals);
  if (options["json"] === true) {
    process.stdout.write(
      `${JSON.stringify({ loop, daemonRunning: running, ...(webhookSecret ? { webhookSecret } : {}) })}\n`,
    );
    return;
  }
  process.stdout.write(
    `added loop ${loop.name} (${loop.id}): ${describeSchedule(loop)}, agent ${loop.adapter}\n`,
  );
  if (webhookSecret) {
    process.stdout.write(
      `webhook: POST /hooks/${loop.name} with "Authorization: Bearer ${webhookSecret}" (shown once; hedge daemon status prints the URL)\n`,
    );
  }
  if (!running)
    process.stderr.write("hedge daemon is not running: start it with hedge daemon start\n");
}

/** `--via-gateway` with no gateway to call yet: the loop stands, its runs would fail; say so now. */
async function warnWithoutGateway(globals: GlobalOptions): Promise<void> {
  const [{ commandContext }, { gatewayProblem }] = await Promise.all([
    import("../command-context.js"),
    import("../composition/daemon-access.js"),
  ]);
  const found = await gatewayProblem(commandContext(globals));
  if ("missing" in found) process.stderr.write(`${found.missing}: ${found.hint}\n`);
}

/** `hedge loop pause|resume|rm NAME`. */
export async function runLoopState(verb: "pause" | "resume" | "rm", name: string): Promise<void> {
  const loop = await withLedger(async (ledger) => {
    const found = await ledger.requireLoop(name);
    await ledger.setState(
      found.id,
      verb === "pause" ? "paused" : verb === "resume" ? "active" : "removed",
      Date.now(),
    );
    return found;
  });
  await notifyDaemon();
  const done =
    verb === "pause"
      ? "paused"
      : verb === "resume"
        ? "resumed (missed slots are not run)"
        : "removed";
  process.stdout.write(`loop ${loop.name} ${done}\n`);
}

/** `hedge loop run NAME`: one manual run now, through the daemon. */
export async function runLoopRunNow(name: string, options: { json: boolean }): Promise<void> {
  await withLedger((ledger) => ledger.requireLoop(name));
  const result = (await callDaemon(socketPath(hedgeHome()), "loop.run", { name })) as {
    runId: string | null;
  };
  if (options.json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  process.stdout.write(
    `queued ${result.runId ?? "?"} for loop ${name}: hedge loop logs ${result.runId ?? "RUN_ID"} -f\n`,
  );
}
