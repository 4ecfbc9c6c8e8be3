import { describe, expect, it } from "vitest";
import { z } from "zod";
import { coreConfigShape } from "../config-schema.js";

const config = z.strictObject(coreConfigShape);

/** The issues of parsing `data` as core's config: "path: message". */
function issues(data: Record<string, unknown>): string[] {
  const parsed = config.safeParse(data);
  return parsed.success
    ? []
    : parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
}

describe("[mcp_servers.NAME] (Codex's fields)", () => {
  it("takes a Codex stdio table and an HTTP table, with hedge's defaults", () => {
    const parsed = config.parse({
      mcp_servers: {
        fs: {
          command: "npx",
          args: ["-y", "@modelcontextprotocol/server-filesystem@2026.8.31", "."],
          env: { LOG_LEVEL: "warn" },
          env_vars: ["HTTPS_PROXY"],
          enabled_tools: ["read_text_file"],
          tools: { write_file: { approval_mode: "prompt" } },
        },
        docs: {
          url: "http://127.0.0.1:3001/mcp",
          bearer_token_env_var: "DOCS_MCP_TOKEN",
          env_http_headers: { "X-Api-Key": "DOCS_API_KEY" },
        },
      },
    });
    expect(parsed.mcp_servers["fs"]).toMatchObject({
      startup_timeout_sec: 30,
      tool_timeout_sec: 60,
      enabled: true,
      required: false,
      disabled_tools: [],
      default_tools_approval_mode: "auto",
    });
    expect(parsed.mcp).toEqual({
      eager_token_budget: "10%",
      tool_output_token_limit: 10_000,
      roles: { executor: ["*"], orchestrator: [], qa: [] },
    });
  });

  it("refuses unknown fields, a token written in the config, and Codex fields hedge lacks", () => {
    expect(
      issues({
        mcp_servers: {
          fs: { command: "x", comand: "typo", bearer_token: "sk-123", oauth: {} },
        },
      }),
    ).toEqual([
      "mcp_servers.fs.bearer_token: tokens are not stored in config: put it in an environment variable and name it in bearer_token_env_var",
      "mcp_servers.fs.oauth: not supported by hedge yet; remove it",
      'mcp_servers.fs: Unrecognized key: "comand"',
    ]);
  });

  it("needs exactly one transport, and no field of the other one", () => {
    expect(issues({ mcp_servers: { a: {} } })).toEqual([
      "mcp_servers.a.command: set command (a stdio server) or url (an HTTP server)",
    ]);
    expect(issues({ mcp_servers: { a: { command: "x", url: "http://127.0.0.1/" } } })).toEqual([
      "mcp_servers.a.url: set either command (a stdio server) or url (an HTTP server), not both",
    ]);
    expect(
      issues({ mcp_servers: { a: { url: "http://127.0.0.1/", env_vars: ["X"], cwd: "/" } } }),
    ).toEqual([
      "mcp_servers.a.env_vars: env_vars is not supported for HTTP servers",
      "mcp_servers.a.cwd: cwd is not supported for HTTP servers",
    ]);
  });

  it("names servers in the tool-name alphabet, without __", () => {
    expect(issues({ mcp_servers: { a__b: { command: "x" } } })).toEqual([
      "mcp_servers.a__b: a server name may not contain __ (it separates server and tool in tool names)",
    ]);
    expect(issues({ mcp_servers: { "a b": { command: "x" } } })).toEqual([
      "mcp_servers.a b: server names are 1-32 letters, digits, _ or -",
    ]);
  });

  it("gives QA no servers", () => {
    expect(issues({ mcp: { roles: { qa: ["fs"] } } })).toEqual([
      "mcp.roles.qa: QA checks a diff with no tools: leave it empty",
    ]);
  });
});
