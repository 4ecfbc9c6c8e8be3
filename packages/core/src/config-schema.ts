import { z } from "zod";
import { mcpConfigShape } from "./mcp/config-schema.js";

const roleNameSchema = z.enum(["orchestrator", "executor", "qa"]);

/** A config rule deciding, from the prompt, whether a turn is orchestrated. */
export const turnRuleSchema = z.strictObject({
  /** A regular expression (case-insensitive) the prompt must match. */
  match: z
    .string()
    .refine((pattern) => {
      try {
        new RegExp(pattern, "i");
        return true;
      } catch {
        return false;
      }
    }, "expected a valid regular expression")
    .optional(),
  /** The prompt must be at least this long (characters). */
  min_chars: z.number().int().positive().optional(),
  mode: z.enum(["orchestrated", "executor"]),
});
export type TurnRule = z.infer<typeof turnRuleSchema>;

/** `[roles]`: which model plays each role of a turn (`provider/model` or an alias). */
export const rolesSchema = z
  .strictObject({
    // Unset roles use `model` when it is set, else the built-in defaults (ROLE_DEFAULTS).
    orchestrator: z.string().min(1).optional(),
    executor: z.string().min(1).optional(),
    qa: z.string().min(1).optional(),
    /** Per-role profile pools: `executor = ["work", "spare"]`. */
    profiles: z.partialRecord(roleNameSchema, z.array(z.string().min(1)).min(1)).default({}),
    /** The executor hands back to the orchestrator after this many failed tool calls in a row. */
    escalate_after: z.number().int().min(1).default(3),
    /** How often one turn may go back to the orchestrator. */
    max_escalations: z.number().int().min(0).default(2),
    /** Rules on the prompt, first match wins: `{ match = "refactor|design", mode = "orchestrated" }`. */
    rules: z.array(turnRuleSchema).default([]),
  })
  .prefault({});

export const qaSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    max_rounds: z.number().int().min(1).max(20).default(3),
    on_error: z.enum(["open", "closed"]).default("open"),
    /** Token budget of the diff the QA model sees (longer diffs are cut, with a note). */
    diff_budget_tokens: z.number().int().positive().default(8000),
  })
  .prefault({});

export const sandboxModeSchema = z.enum(["read-only", "workspace-write", "danger-full-access"]);
export const approvalPolicySchema = z.enum(["untrusted", "on-request", "on-failure", "never"]);

export const sandboxSchema = z
  .strictObject({
    mode: sandboxModeSchema.default("workspace-write"),
    network: z.boolean().default(false),
    /**
     * More paths (`~` expanded) hidden from sandboxed commands and refused by the read tools, on
     * top of `$HEDGE_HOME`, the vendor CLI homes of profiles and the usual secret places.
     */
    deny_read: z
      .array(
        z
          .string()
          .refine(
            (path) => path === "~" || path.startsWith("~/") || path.startsWith("/"),
            "expected an absolute path or one starting with ~/",
          ),
      )
      .default([]),
  })
  .prefault({});

/**
 * `[shell_environment_policy]` (Codex's table): the environment of every child process a tool
 * starts. Patterns are case-insensitive globs (`*`, `?`) over variable names. hedge's own keys
 * are removed after all of these steps, whatever they say.
 */
export const shellEnvironmentPolicySchema = z
  .strictObject({
    /** The start: `core` (HOME, PATH, USER, locale, ...), `all` of hedge's environment, or `none`. */
    inherit: z.enum(["all", "core", "none"]).default("core"),
    /** false: drop names matching `*KEY*`, `*SECRET*`, `*TOKEN*`, `*PASSWORD*` first. */
    ignore_default_excludes: z.boolean().default(false),
    /** Names to drop, after the default excludes. */
    exclude: z.array(z.string().min(1)).default([]),
    /** Variables to add or override. */
    set: z.record(z.string().min(1), z.string()).default({}),
    /** When not empty, only names matching one of these are kept (`set` ones included). */
    include_only: z.array(z.string().min(1)).default([]),
  })
  .prefault({});

export const agentSchema = z
  .strictObject({
    /** A turn fails after this many model calls without a final answer. */
    max_steps: z.number().int().min(1).max(1000).default(100),
    /** Compact the conversation above this share of the context window. */
    compact_threshold: z.number().gt(0).max(1).default(0.75),
  })
  .prefault({});

export const clientSchema = z
  .strictObject({
    /** A remote gateway (hedge's own or any OpenAI-compatible one) instead of the embedded engine. */
    gateway_url: z.url({ protocol: /^https?$/ }).optional(),
    /** Environment variable holding that gateway's key. */
    gateway_key_env: z.string().min(1).default("HEDGE_GATEWAY_KEY"),
  })
  .prefault({});

/** The config sections the agent core owns; the CLI composes them into the one config schema. */
export const coreConfigShape = {
  model: z.string().min(1).optional(),
  /** The model's context window in tokens (Codex's key); default 128k. */
  model_context_window: z.number().int().positive().optional(),
  /** Reasoning effort for models that reason (Codex's key). */
  model_reasoning_effort: z.enum(["minimal", "low", "medium", "high"]).optional(),
  agent: agentSchema,
  client: clientSchema,
  // Codex config keys accepted so scripts and the Codex SDK can pass them with -c unchanged.
  /** Codex's name for `sandbox.mode`. */
  sandbox_mode: sandboxModeSchema.optional(),
  /** Codex's `[sandbox_workspace_write]`: `network_access` maps to `sandbox.network`. */
  sandbox_workspace_write: z
    .strictObject({
      network_access: z.boolean().optional(),
      writable_roots: z.array(z.string()).optional(),
    })
    .optional(),
  /** Codex's web search switch: hedge has no web search tool; anything but "disabled" is noted. */
  web_search: z.enum(["disabled", "cached", "live"]).optional(),
  /** Codex's `openai_base_url`: taken as the remote gateway URL. */
  openai_base_url: z.url({ protocol: /^https?$/ }).optional(),
  roles: rolesSchema,
  qa: qaSchema,
  sandbox: sandboxSchema,
  shell_environment_policy: shellEnvironmentPolicySchema,
  approval_policy: approvalPolicySchema.default("on-request"),
  ...mcpConfigShape,
};

/** Core's config sections, parsed (the CLI's config is a superset). */
export type CoreConfig = z.output<z.ZodObject<typeof coreConfigShape>>;
