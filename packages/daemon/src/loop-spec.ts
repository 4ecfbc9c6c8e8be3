import { existsSync, realpathSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { UsageError } from "@hedge/model-spec";
import { adapterFor } from "./adapters/agents.js";
import {
  ADAPTER_NAMES,
  type AdapterName,
  type LoopSpec,
  type LoopTrigger,
} from "./ledger/types.js";
import { assertCron, everyAnchor, parseDuration, type Schedule } from "./schedule/schedule.js";
import { splitWords } from "./run/argv-words.js";
import { newWebhookSecret } from "./triggers/webhook.js";

/** `hedge loop add`'s flags, as strings from the command line. */
export interface LoopAddInput {
  name: string;
  cron?: string;
  tz?: string;
  every?: string;
  at?: string;
  watch?: string;
  debounce?: string;
  /** `--on-commit` alone is `true` (the current branch); with a value, that branch. */
  onCommit?: string | true;
  webhook?: boolean;
  agent?: string;
  cwd?: string;
  worktree?: boolean;
  missed?: string;
  missedMaxAge?: string;
  overlap?: string;
  timeout?: string;
  budgetUsd?: string;
  maxTurns?: string;
  profile?: string;
  /** `--via-gateway`: codex/claude call hedge's gateway, so their tokens and $ are recorded. */
  viaGateway?: boolean;
  verify?: string;
  env: string[];
  expires?: string;
  /** Everything after `--`: the prompt words, or the command's argv. */
  rest: string[];
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function oneOf<T extends string>(
  flag: string,
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${flag} ${JSON.stringify(value)} is not one of ${allowed.join(", ")}`, {
    hint: `${flag} ${allowed[0]}`,
  });
}

function positive(flag: string, value: string | undefined, integer: boolean): number | null {
  if (value === undefined) return null;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0 || (integer && !Number.isInteger(number))) {
    throw new UsageError(
      `${flag} ${JSON.stringify(value)} must be a positive ${integer ? "whole number" : "number"}`,
      {
        hint: `${flag} ${integer ? "20" : "2.50"}`,
      },
    );
  }
  return number;
}

function instant(flag: string, value: string): number {
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) {
    throw new UsageError(`${flag} ${JSON.stringify(value)} is not a date`, {
      hint: `${flag} 2026-12-24T09:00:00Z (ISO 8601)`,
    });
  }
  return ms;
}

function scheduleOf(input: LoopAddInput, now: number): Schedule {
  const given = [input.cron, input.every, input.at].filter((value) => value !== undefined);
  if (given.length > 1) {
    throw new UsageError("give one schedule: --cron, --every or --at", {
      hint: 'hedge loop add nightly --cron "0 3 * * *" --agent command -- make test',
    });
  }
  if (input.tz !== undefined && input.cron === undefined) {
    throw new UsageError("--tz applies to --cron only", {
      hint: 'hedge loop add NAME --cron "0 9 * * 1-5" --tz Europe/Berlin ...',
    });
  }
  if (input.cron !== undefined) {
    const tz = input.tz ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
    assertCron(input.cron, tz);
    return { kind: "cron", expr: input.cron, tz };
  }
  if (input.every !== undefined) {
    const periodMs = parseDuration(input.every, "--every");
    if (periodMs < 1000) {
      throw new UsageError("--every must be at least 1s", { hint: "--every 30s" });
    }
    return { kind: "every", periodMs, anchorMs: everyAnchor(now, periodMs) };
  }
  if (input.at !== undefined) {
    const atMs = instant("--at", input.at);
    if (atMs <= now) {
      throw new UsageError(`--at ${input.at} is in the past`, {
        hint: "give a future date, or use hedge loop run NAME to run now",
      });
    }
    return { kind: "at", atMs };
  }
  // No schedule and no trigger: the loop runs by `hedge loop run` and `[hooks]` only.
  return { kind: "event" };
}

function triggerOf(
  input: LoopAddInput,
  currentBranch: string | undefined,
): { trigger: LoopTrigger | null; webhookSecret: string | null } {
  const count = [
    input.watch !== undefined,
    input.onCommit !== undefined,
    input.webhook === true,
  ].filter(Boolean).length;
  if (count > 1) {
    throw new UsageError("give at most one trigger: --watch, --on-commit or --webhook", {
      hint: "make a second loop for a second trigger",
    });
  }
  if (input.watch !== undefined) {
    if (!input.watch || input.watch.includes("..")) {
      throw new UsageError(`--watch ${JSON.stringify(input.watch)} is not a glob inside --cwd`, {
        hint: '--watch "src/**/*.ts"',
      });
    }
    const debounceMs = input.debounce ? parseDuration(input.debounce, "--debounce") : 2000;
    return { trigger: { kind: "watch", glob: input.watch, debounceMs }, webhookSecret: null };
  }
  if (input.onCommit !== undefined) {
    const branch = input.onCommit === true ? (currentBranch ?? "main") : input.onCommit;
    if (
      !/^[A-Za-z0-9._/-]{1,200}$/.test(branch) ||
      branch.includes("..") ||
      branch.startsWith("-")
    ) {
      throw new UsageError(`--on-commit ${JSON.stringify(branch)} is not a branch name`, {
        hint: "--on-commit main",
      });
    }
    return { trigger: { kind: "commit", branch }, webhookSecret: null };
  }
  if (input.webhook) {
    const { secret, sha256 } = newWebhookSecret();
    return { trigger: { kind: "webhook", secretSha256: sha256 }, webhookSecret: secret };
  }
  return { trigger: null, webhookSecret: null };
}

/** `--via-gateway` suits the vendor CLIs whose wire the gateway speaks, without `--profile`. */
function viaGatewayOf(input: LoopAddInput, adapter: AdapterName): boolean {
  if (input.viaGateway !== true) return false;
  if (adapter !== "codex" && adapter !== "claude") {
    const why: Record<string, string> = {
      hedge: "hedge's own runs are recorded in hedge stats already",
      gemini: "the gateway does not speak Gemini's API",
      command: "a command gets what it needs with --env",
    };
    throw new UsageError(
      `--via-gateway applies to --agent codex or claude: ${why[adapter] ?? ""}`,
      {
        hint: "drop --via-gateway",
      },
    );
  }
  if (input.profile !== undefined) {
    throw new UsageError("--via-gateway and --profile do not combine", {
      hint: "through the gateway each request goes to the profile with headroom; drop --profile",
    });
  }
  return true;
}

/**
 * Validates `hedge loop add`'s flags into a loop, with one clear line per mistake. A webhook
 * loop's secret is returned once, to print; only its hash is stored.
 */
export function buildLoopSpec(
  input: LoopAddInput,
  context: { now: number; cwd: string; path: string | undefined; currentBranch?: string },
): { spec: LoopSpec; webhookSecret: string | null } {
  if (!NAME.test(input.name)) {
    throw new UsageError(`loop name ${JSON.stringify(input.name)} is not allowed`, {
      hint: "use letters, digits, '.', '_' and '-' (at most 64), starting with a letter or digit",
    });
  }
  const { trigger, webhookSecret } = triggerOf(input, context.currentBranch);
  const schedule = scheduleOf(input, context.now);
  const adapter = oneOf<AdapterName>("--agent", input.agent, ADAPTER_NAMES, "hedge");
  const cwdPath = resolve(context.cwd, input.cwd ?? ".");
  if (!existsSync(cwdPath) || !statSync(cwdPath).isDirectory()) {
    throw new UsageError(`--cwd ${cwdPath} is not a directory`, {
      hint: "give an existing directory",
    });
  }
  const cwd = realpathSync(cwdPath);
  if (input.worktree && !existsSync(resolve(cwd, ".git"))) {
    throw new UsageError(`--worktree needs a git repository; ${cwd} is not one`, {
      hint: "drop --worktree, or point --cwd at the repository's top directory",
    });
  }
  for (const name of input.env) {
    if (!ENV_NAME.test(name)) {
      throw new UsageError(`--env ${JSON.stringify(name)} is not a variable name`, {
        hint: "--env NAME (the value comes from the daemon's environment)",
      });
    }
  }
  const spec: LoopSpec = {
    name: input.name,
    schedule,
    trigger,
    adapter,
    prompt: adapter === "command" ? null : input.rest.join(" ").trim() || null,
    argv: adapter === "command" ? (input.rest.length > 0 ? input.rest : null) : null,
    cwd,
    worktree: input.worktree === true,
    missed: oneOf("--missed", input.missed, ["once", "skip", "all"] as const, "once"),
    missedMaxAgeMs: input.missedMaxAge
      ? parseDuration(input.missedMaxAge, "--missed-max-age")
      : 86_400_000,
    overlap: oneOf("--overlap", input.overlap, ["skip", "queue"] as const, "skip"),
    timeoutMs: input.timeout ? parseDuration(input.timeout, "--timeout") : 1_800_000,
    budgetUsd: positive("--budget-usd", input.budgetUsd, false),
    maxTurns: positive("--max-turns", input.maxTurns, true),
    profile: input.profile ?? null,
    viaGateway: viaGatewayOf(input, adapter),
    verifyArgv: input.verify === undefined ? null : splitWords(input.verify, "--verify"),
    envNames: input.env,
    jitterMs: 0,
    expiresAtMs: input.expires ? instant("--expires", input.expires) : null,
  };
  adapterFor(adapter).check(spec, context.path);
  return { spec, webhookSecret };
}
