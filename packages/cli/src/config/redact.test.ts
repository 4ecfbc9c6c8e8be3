import { describe, expect, it } from "vitest";
import { REDACTED, redactConfig } from "./redact.js";

describe("redactConfig", () => {
  it("hides MCP header values and secret-named env values, keeps variable names", () => {
    expect(
      redactConfig({
        mcp_servers: {
          docs: {
            url: "http://127.0.0.1:3001/mcp",
            http_headers: { "X-Api-Key": "literal-9f1e", "X-Team": "core" },
            env_http_headers: { "X-Other": "DOCS_API_KEY" },
            bearer_token_env_var: "DOCS_MCP_TOKEN",
          },
          fs: { command: "npx", env: { GITHUB_TOKEN: "ghp_x", LOG_LEVEL: "warn" } },
        },
      }),
    ).toEqual({
      mcp_servers: {
        docs: {
          url: "http://127.0.0.1:3001/mcp",
          http_headers: { "X-Api-Key": REDACTED, "X-Team": REDACTED },
          env_http_headers: { "X-Other": "DOCS_API_KEY" },
          bearer_token_env_var: "DOCS_MCP_TOKEN",
        },
        fs: { command: "npx", env: { GITHUB_TOKEN: REDACTED, LOG_LEVEL: "warn" } },
      },
    });
  });
});
