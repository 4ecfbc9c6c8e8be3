import { z } from "zod";

/**
 * `[mcp_servers.NAME]` and `[mcp]`: Codex's field names (codex-rs `RawMcpServerConfig`), so a
 * Codex config's MCP tables work unchanged. Unknown fields are errors; secrets are referenced by
 * the name of an environment variable, never written in the config.
 */

/** A server name: it becomes part of tool names (`mcp__NAME__tool`), so a small alphabet. */
export const MCP_SERVER_NAME = /^[A-Za-z0-9_-]{1,32}$/;

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const envName = z.string().regex(ENV_NAME, "expected an environment variable name");

/** A key that Codex has and hedge refuses with a reason, instead of silently ignoring it. */
function refused(message: string): z.ZodType<undefined> {
  return z
    .unknown()
    .refine((value) => value === undefined, { message, abort: true })
    .optional();
}

const NOT_YET = "not supported by hedge yet; remove it";

export const toolApprovalModeSchema = z.enum(["auto", "prompt", "approve"]);
/** `auto`: the approval policy decides; `prompt`: always ask; `approve`: never ask. */
export type ToolApprovalMode = z.infer<typeof toolApprovalModeSchema>;

const serverFields = {
  // stdio
  command: z.string().min(1).optional(),
  args: z.array(z.string()).optional(),
  /** Literal variables for the server (not secrets: they are shown by `config show`). */
  env: z.record(envName, z.string()).optional(),
  /** Names of variables copied from hedge's environment to the server's. */
  env_vars: z.array(envName).optional(),
  cwd: z.string().min(1).optional(),
  // streamable HTTP
  url: z.url({ protocol: /^https?$/, error: "expected an http(s) URL" }).optional(),
  bearer_token_env_var: envName.optional(),
  http_headers: z.record(z.string().min(1), z.string()).optional(),
  /** Header name → name of the environment variable holding its value. */
  env_http_headers: z.record(z.string().min(1), envName).optional(),
  bearer_token: refused(
    "tokens are not stored in config: put it in an environment variable and name it in bearer_token_env_var",
  ),
  // both
  /** Spawn, initialize and every page of tools/list must finish within this (default 30 s). */
  startup_timeout_sec: z.number().positive().max(600).default(30),
  /** A tool call without an answer for this long fails as data (default 60 s). */
  tool_timeout_sec: z.number().positive().max(3600).default(60),
  enabled: z.boolean().default(true),
  /** hedge refuses to start a turn when this server fails to start. */
  required: z.boolean().default(false),
  /** Only these tools (raw names); absent: all. */
  enabled_tools: z.array(z.string().min(1)).optional(),
  /** Never these tools, applied after `enabled_tools`. */
  disabled_tools: z.array(z.string().min(1)).default([]),
  default_tools_approval_mode: toolApprovalModeSchema.default("auto"),
  tools: z
    .record(z.string().min(1), z.strictObject({ approval_mode: toolApprovalModeSchema.optional() }))
    .default({}),
  oauth: refused(NOT_YET),
  oauth_resource: refused(NOT_YET),
  scopes: refused(NOT_YET),
  experimental_environment: refused(NOT_YET),
  supports_parallel_tool_calls: refused(NOT_YET),
  startup_timeout_ms: refused("use startup_timeout_sec (seconds)"),
};

const STDIO_ONLY = ["command", "args", "env", "env_vars", "cwd"] as const;
const HTTP_ONLY = ["url", "bearer_token_env_var", "http_headers", "env_http_headers"] as const;

/** One `[mcp_servers.NAME]` table: a stdio server (`command`) or a streamable HTTP one (`url`). */
export const mcpServerConfigSchema = z.strictObject(serverFields).superRefine((server, context) => {
  const stdio = server.command !== undefined;
  const http = server.url !== undefined;
  if (stdio === http) {
    context.addIssue({
      code: "custom",
      message: stdio
        ? "set either command (a stdio server) or url (an HTTP server), not both"
        : "set command (a stdio server) or url (an HTTP server)",
      path: [stdio ? "url" : "command"],
    });
    return;
  }
  const wrong = stdio ? HTTP_ONLY : STDIO_ONLY;
  for (const key of wrong) {
    if (server[key] !== undefined)
      context.addIssue({
        code: "custom",
        message: `${key} is not supported for ${stdio ? "stdio" : "HTTP"} servers`,
        path: [key],
      });
  }
});
export type McpServerConfig = z.output<typeof mcpServerConfigSchema>;

/** `"10%"` of the routed model's context window, or a token count. */
export const tokenBudgetSchema = z.union([
  z.number().int().min(0),
  z.string().regex(/^\d{1,3}(\.\d+)?%$/, 'expected a token count or a percentage like "10%"'),
]);

const serverList = z.array(z.union([z.literal("*"), z.string().regex(MCP_SERVER_NAME)]));

/** `[mcp]`: hedge's own MCP settings. */
export const mcpSettingsSchema = z
  .strictObject({
    /** Above this, MCP tools are offered as names plus `tool_search` (default 10% of the window). */
    eager_token_budget: tokenBudgetSchema.default("10%"),
    /** A tool result is cut (head and tail kept) above this many tokens. */
    tool_output_token_limit: z.number().int().min(100).default(10_000),
    /** Which servers each role may use (`"*"`: all). QA checks a diff and takes none. */
    roles: z
      .strictObject({
        executor: serverList.default(["*"]),
        orchestrator: serverList.default([]),
        qa: z
          .array(z.string())
          .refine((list) => list.length === 0, "QA checks a diff with no tools: leave it empty")
          .default([]),
      })
      .prefault({}),
  })
  .prefault({});
export type McpSettings = z.output<typeof mcpSettingsSchema>;

export const mcpServersSchema = z
  .record(z.string(), mcpServerConfigSchema)
  .superRefine((servers, context) => {
    // Checked here, not as the record's key schema: zod would only say "Invalid key in record".
    for (const name of Object.keys(servers)) {
      const message = !MCP_SERVER_NAME.test(name)
        ? "server names are 1-32 letters, digits, _ or -"
        : name.includes("__")
          ? "a server name may not contain __ (it separates server and tool in tool names)"
          : undefined;
      if (message) context.addIssue({ code: "custom", message, path: [name] });
    }
  })
  .default({});

/** The config sections MCP owns, composed into core's. */
export const mcpConfigShape = {
  mcp: mcpSettingsSchema,
  mcp_servers: mcpServersSchema,
};
