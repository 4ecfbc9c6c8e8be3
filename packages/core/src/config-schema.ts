import { z } from "zod";

/** `[roles]`: which model plays each role of a turn (`provider/model` or an alias). */
export const rolesSchema = z
  .strictObject({
    orchestrator: z.string().min(1).default("openai/gpt-5-codex"),
    executor: z.string().min(1).default("anthropic/claude-sonnet-4-5"),
    qa: z.string().min(1).default("anthropic/claude-haiku-4-5"),
  })
  .prefault({});

export const qaSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    max_rounds: z.number().int().min(1).max(20).default(3),
    on_error: z.enum(["open", "closed"]).default("open"),
  })
  .prefault({});

export const sandboxModeSchema = z.enum(["read-only", "workspace-write", "danger-full-access"]);
export const approvalPolicySchema = z.enum(["untrusted", "on-request", "on-failure", "never"]);

export const sandboxSchema = z
  .strictObject({
    mode: sandboxModeSchema.default("workspace-write"),
    network: z.boolean().default(false),
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
  approval_policy: approvalPolicySchema.default("on-request"),
};
