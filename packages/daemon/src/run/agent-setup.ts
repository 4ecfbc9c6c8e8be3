import { closeSync, openSync, readSync, renameSync, writeSync } from "node:fs";
import type { AgentAccess, RunGateway } from "../adapters/agent-access.js";
import type { RunFacts } from "../adapters/adapter.js";
import { chooseProfile } from "../adapters/profile-choice.js";
import type { Loop } from "../ledger/types.js";

/** What a run starts with besides its plan: the profile and why, and a `--via-gateway` key. */
export interface AgentSetup {
  profile: string | null;
  profileReason: string | null;
  gateway: RunGateway | null;
  /** Set when the run cannot start (no gateway to point at): the run's reason and log line. */
  failure: { reason: string; line: string } | null;
}

/**
 * Decides at run start who the agent runs as: the profile (explicit or by headroom) and, with
 * `--via-gateway`, a gateway key made for this run only.
 */
export async function prepareAgent(
  loop: Loop,
  runId: string,
  access: AgentAccess | undefined,
  now: number,
): Promise<AgentSetup> {
  const choice = await chooseProfile(loop, access ? () => access.usage() : undefined, now);
  const setup: AgentSetup = {
    profile: choice.profile,
    profileReason: choice.reason,
    gateway: null,
    failure: null,
  };
  if (!loop.viaGateway) return setup;
  const opened = access
    ? await access.openGateway(runId).catch((error: unknown) => ({
        missing: `cannot open the gateway: ${(error as Error).message.split("\n")[0] ?? ""}`,
        hint: "see hedge gateway status",
      }))
    : {
        missing: "this daemon has no gateway access",
        hint: "start the daemon with hedge daemon start",
      };
  if ("missing" in opened) {
    setup.failure = {
      reason: opened.missing.slice(0, 200),
      line: `${opened.missing} (${opened.hint})`,
    };
  } else setup.gateway = opened;
  return setup;
}

/**
 * Revokes a run's gateway key and takes the run's tokens and $ from what the gateway recorded
 * for that key (not from the agent's output). The key is revoked even if the read fails.
 */
export async function closeRunGateway(gateway: RunGateway, facts: RunFacts): Promise<RunFacts> {
  const usage = await gateway.close();
  if (usage.calls === 0) return facts;
  return {
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    costUsd: usage.costUsd ?? facts.costUsd,
  };
}

const CHUNK = 1 << 16;

/**
 * Replaces every occurrence of `secret` in the file at `path` (streamed, so a large log is
 * fine), through a temp file renamed over it. A missing file is left alone.
 */
export function redactFile(path: string, secret: string, replacement: string): void {
  let input: number;
  try {
    input = openSync(path, "r");
  } catch {
    return;
  }
  const temp = `${path}.redact`;
  const output = openSync(temp, "w", 0o600);
  try {
    const buffer = Buffer.alloc(CHUNK);
    // The tail kept between chunks: a secret split across two reads is still found.
    let carry = "";
    for (;;) {
      const read = readSync(input, buffer, 0, CHUNK, null);
      const text = carry + buffer.subarray(0, read).toString("latin1");
      if (read === 0) {
        writeSync(output, Buffer.from(text.split(secret).join(replacement), "latin1"));
        break;
      }
      const replaced = text.split(secret).join(replacement);
      const keep = Math.min(replaced.length, secret.length - 1);
      writeSync(output, Buffer.from(replaced.slice(0, replaced.length - keep), "latin1"));
      carry = replaced.slice(replaced.length - keep);
    }
  } finally {
    closeSync(input);
    closeSync(output);
  }
  renameSync(temp, path);
}
