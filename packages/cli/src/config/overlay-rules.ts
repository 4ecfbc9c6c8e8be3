/**
 * What an untrusted project overlay (`.hedge/config.toml` of a project the user has not trusted
 * with `hedge trust`) may set. An allowlist, key by key: a key not named here is ignored, so a
 * config key added later is untrusted until someone decides otherwise here.
 *
 * The repository is untrusted: it may choose among what the user allows (models, roles, QA,
 * routing among the user's routes) and make things stricter, never send a key or a request
 * somewhere else (providers, gateway, store, client), widen policy, loosen the sandbox, network or
 * approvals, or name programs for hedge to run.
 */

/** What a narrowing rule keeps of a project's value. */
export interface Narrowed {
  /** The value to apply; absent when none of the project's value applies. */
  value?: unknown;
  /** True when (part of) the project's value would have widened the user's. */
  widened: boolean;
}

/**
 * A narrowing rule: the project's value against the user's (user file plus defaults) at
 * `userPath`, or at the key's own path when the rule names none.
 */
export interface NarrowRule {
  readonly narrow: (project: unknown, user: unknown) => Narrowed;
  /** Where the user's value lives when it is not at the key's own path (Codex aliases). */
  readonly userPath?: readonly string[];
}

/** A table of rules; `*` applies to any key of a record (aliases, per-model routing). */
export interface OverlayTable {
  readonly [key: string]: OverlayRule;
}

/** `allow`: any valid value applies. */
export type OverlayRule = "allow" | NarrowRule | OverlayTable;

export function isNarrowRule(rule: OverlayRule): rule is NarrowRule {
  return typeof rule === "object" && typeof (rule as Partial<NarrowRule>).narrow === "function";
}

/**
 * Sandbox modes, strictest first: each allows a superset of what the one before allows
 * (read-only writes nothing; workspace-write writes the workspace and its writable roots;
 * danger-full-access has no sandbox).
 */
export const SANDBOX_STRICTNESS = ["read-only", "workspace-write", "danger-full-access"] as const;

/**
 * Approval policies, strictest first, ordered by what runs without a person's yes, then by
 * whether anything can leave the sandbox at all:
 * - `untrusted`: only known read-only commands run unasked; everything else waits for a yes.
 * - `never`: commands run in the sandbox unasked, and nothing ever leaves it.
 * - `on-failure`: the same, and a command the sandbox refused may re-run outside it after a yes.
 * - `on-request`: the same, and the model may ask to run any command outside it at any time.
 */
export const APPROVAL_STRICTNESS = ["untrusted", "never", "on-failure", "on-request"] as const;

/** Network access, strictest first. */
export const NETWORK_STRICTNESS = [false, true] as const;

/** The project's value applies when it is at least as strict as the user's in `order`. */
export function noLooser(order: readonly unknown[], userPath?: readonly string[]): NarrowRule {
  return {
    narrow: (project, user) => {
      const wanted = order.indexOf(project);
      const allowed = order.indexOf(user);
      // An unknown user value (a key another package added) is never loosened.
      if (wanted < 0 || allowed < 0 || wanted > allowed) return { widened: true };
      return { value: project, widened: false };
    },
    ...(userPath ? { userPath } : {}),
  };
}

/** The project's number applies when it is at most the user's (a lower limit). */
export function noHigher(): NarrowRule {
  return {
    narrow: (project, user) =>
      typeof project === "number" && typeof user === "number" && project <= user
        ? { value: project, widened: false }
        : { widened: true },
  };
}

/**
 * An allow-list: what the project lists and the user allows. An absent user list allows anything,
 * so the project's list applies whole.
 */
export function intersect(): NarrowRule {
  return {
    narrow: (project, user) => {
      if (!Array.isArray(project)) return { widened: true };
      if (user === undefined) return { value: project, widened: false };
      const listed: unknown[] = project;
      const allowed = Array.isArray(user) ? (user as unknown[]) : [];
      const kept = listed.filter((item) => allowed.includes(item));
      return { value: kept, widened: kept.length < listed.length };
    },
  };
}

/** A deny-list: the user's entries and the project's; a project never removes one. */
export function union(): NarrowRule {
  return {
    narrow: (project, user) => {
      if (!Array.isArray(project)) return { widened: true };
      const added: unknown[] = project;
      const base = Array.isArray(user) ? (user as unknown[]) : [];
      return {
        value: [...base, ...added.filter((item) => !base.includes(item))],
        widened: false,
      };
    },
  };
}

/**
 * An MCP server table: a project may switch off a server the user configured and narrow its
 * tools, never add a server or change what runs (`command`, `args`, `env`, `url`, ...).
 */
export function narrowMcpServer(): NarrowRule {
  return {
    narrow: (project, user) => {
      if (!isPlainObject(project) || !isPlainObject(user)) return { widened: true };
      const kept: [string, unknown][] = [];
      let widened = false;
      for (const [key, value] of Object.entries(project)) {
        if (key === "enabled" && value === false) kept.push([key, false]);
        else if (key === "enabled_tools" && Array.isArray(value)) {
          const narrowed = intersect().narrow(value, user["enabled_tools"]);
          widened ||= narrowed.widened;
          kept.push([key, narrowed.value]);
        } else if (key === "disabled_tools" && Array.isArray(value)) {
          kept.push([key, union().narrow(value, user["disabled_tools"]).value]);
        } else widened = true;
      }
      return kept.length > 0 ? { value: Object.fromEntries(kept), widened } : { widened: true };
    },
  };
}

/** Servers a role may use: those of the project's list the user's list allows (`*`: any). */
export function narrowServerList(): NarrowRule {
  return {
    narrow: (project, user) => {
      if (!Array.isArray(project)) return { widened: true };
      const allowed: unknown[] = Array.isArray(user) ? user : [];
      const listed: unknown[] = project;
      const kept = listed.filter((name) => allowed.includes("*") || allowed.includes(name));
      return { value: kept, widened: kept.length < listed.length };
    },
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The keys an untrusted overlay may set, and how. */
export const UNTRUSTED_OVERLAY_RULES: OverlayTable = {
  // Which of the user's models to use: keys go only to the user's providers either way.
  model: "allow",
  model_context_window: "allow",
  model_reasoning_effort: "allow",
  aliases: { "*": "allow" },
  roles: {
    orchestrator: "allow",
    executor: "allow",
    qa: "allow",
    // Which of the user's own profiles (each bound to its provider) serve a role.
    profiles: { "*": "allow" },
    escalate_after: "allow",
    max_escalations: "allow",
    rules: "allow",
  },
  qa: { enabled: "allow", max_rounds: "allow", on_error: "allow", diff_budget_tokens: "allow" },
  agent: { compact_threshold: "allow", max_steps: noHigher() },
  // Ordering among the user's routes; breaker, retry and cache settings shape shared state that
  // every other project uses, so they stay the user's.
  routing: {
    default_strategy: "allow",
    models: { "*": { strategy: "allow", fallbacks: "allow", weights: "allow", sticky: "allow" } },
  },
  policy: { allow_classes: intersect(), allow_regions: intersect(), deny_providers: union() },
  sandbox: {
    mode: noLooser(SANDBOX_STRICTNESS),
    network: noLooser(NETWORK_STRICTNESS),
    deny_read: union(),
  },
  sandbox_mode: noLooser(SANDBOX_STRICTNESS, ["sandbox", "mode"]),
  sandbox_workspace_write: { network_access: noLooser(NETWORK_STRICTNESS, ["sandbox", "network"]) },
  approval_policy: noLooser(APPROVAL_STRICTNESS),
  // MCP servers are programs: a project may switch off or narrow the user's, never add one.
  mcp_servers: { "*": narrowMcpServer() },
  mcp: {
    roles: { executor: narrowServerList(), orchestrator: narrowServerList() },
    tool_output_token_limit: noHigher(),
    eager_token_budget: "allow",
  },
};
