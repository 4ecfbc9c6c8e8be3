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

/** The config sections the agent core owns; the CLI composes them into the one config schema. */
export const coreConfigShape = {
  model: z.string().min(1).optional(),
  roles: rolesSchema,
  qa: qaSchema,
  sandbox: sandboxSchema,
  approval_policy: approvalPolicySchema.default("on-request"),
};
