import { closeSync, openSync, readSync, realpathSync, statSync } from "node:fs";
import { join, sep } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { UsageError } from "@hedge/model-spec";
import { RUN_ID_PATTERN } from "@hedge/daemon";
import { hedgeHome } from "../context.js";
import { openLedger } from "./loop-ledger.js";

/**
 * `hedge loop logs RUN_ID [-f]`. The id must look like a run id and the path comes from the
 * ledger (never from the argument), and must resolve inside `$HEDGE_HOME/logs/loops`.
 */
export async function runLoopLogs(runId: string, options: { follow: boolean }): Promise<void> {
  if (!RUN_ID_PATTERN.test(runId)) {
    throw new UsageError(`${JSON.stringify(runId)} is not a run id`, {
      hint: "hedge loop runs lists run ids (run_…)",
    });
  }
  const home = hedgeHome();
  const ledger = await openLedger(home);
  try {
    const run = await ledger.getRun(runId);
    if (!run) throw new UsageError(`no run ${runId}`, { hint: "hedge loop runs lists run ids" });
    if (!run.logPath) {
      process.stderr.write(
        `run ${runId} has no log (${run.status}${run.reason ? `: ${run.reason}` : ""})\n`,
      );
      return;
    }
    const path = insideLogs(home, run.logPath);
    let offset = 0;
    for (;;) {
      offset = printFrom(path, offset);
      if (!options.follow) return;
      const now = await ledger.getRun(runId);
      if (!now || (now.status !== "running" && now.status !== "queued")) {
        printFrom(path, offset);
        return;
      }
      await sleep(250);
    }
  } finally {
    await ledger.close();
  }
}

function insideLogs(home: string, logPath: string): string {
  let root: string;
  let real: string;
  try {
    root = realpathSync(join(home, "logs", "loops"));
    real = realpathSync(logPath);
  } catch {
    throw new UsageError("the run's log file is gone", {
      hint: "logs live in $HEDGE_HOME/logs/loops",
    });
  }
  if (!real.startsWith(root + sep)) {
    throw new UsageError("the run's log path is outside $HEDGE_HOME/logs/loops; not reading it", {
      hint: "the ledger may have been edited; check $HEDGE_HOME/loops.db",
    });
  }
  return real;
}

function printFrom(path: string, offset: number): number {
  const size = statSync(path).size;
  if (size <= offset) return offset;
  const fd = openSync(path, "r");
  try {
    const buffer = Buffer.alloc(1 << 20);
    while (offset < size) {
      const read = readSync(fd, buffer, 0, Math.min(buffer.length, size - offset), offset);
      if (read === 0) break;
      process.stdout.write(redactGatewayKeys(buffer.subarray(0, read)));
      offset += read;
    }
    return offset;
  } finally {
    closeSync(fd);
  }
}

/** hedge gateway keys (`hk-` and 32 base64url characters): a run's key, printed by its agent. */
const GATEWAY_KEY = /hk-[A-Za-z0-9_-]{32}/g;

/** The chunk with any gateway key masked, same length (a follower's offsets stay right). */
function redactGatewayKeys(chunk: Buffer): Buffer {
  const text = chunk.toString("latin1");
  if (!text.includes("hk-")) return chunk;
  return Buffer.from(
    text.replace(GATEWAY_KEY, (key) => "[redacted]".padEnd(key.length, "*")),
    "latin1",
  );
}
