import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { saveProfile } from "@hedge/auth";
import { configSchema } from "./config/schema.js";
import { toolGuardOptions } from "./tool-guard.js";

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), "hedge-tool-guard-"));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe("toolGuardOptions (what exec gives the tool host)", () => {
  it("collects every key hedge holds, the variables holding them and the paths to hide", async () => {
    await saveProfile(home, {
      name: "sub",
      provider: "codex",
      kind: "cli-login",
      home: "/somewhere/codex-home",
    });
    const config = configSchema.parse({
      client: { gateway_key_env: "MY_GATEWAY" },
      providers: {
        lab: { base_url: "http://127.0.0.1:1/v1", api_key: "literal-key-123456" },
        proxy: {
          base_url: "http://127.0.0.1:2/v1",
          api_key_env: "PROXY_ACCESS",
          headers: { Authorization: "Bearer header-token-7890", "X-Title": "hedge-session-title" },
        },
      },
      sandbox: { deny_read: ["~/clients"] },
      shell_environment_policy: { inherit: "all" },
    });
    const options = toolGuardOptions(config, home, ["pool-key-abcdef12"], {
      PROXY_ACCESS: "proxy-env-key-0001",
      MY_GATEWAY: "gateway-key-0002",
      ANTHROPIC_API_KEY: "anthropic-env-0003",
      UNRELATED: "not-a-secret-value",
    });
    expect(options.secrets).toEqual(
      expect.arrayContaining([
        "pool-key-abcdef12",
        "literal-key-123456",
        "Bearer header-token-7890",
        "header-token-7890",
        "proxy-env-key-0001",
        "gateway-key-0002",
        "anthropic-env-0003",
      ]),
    );
    expect(options.secrets).not.toContain("not-a-secret-value");
    expect(options.secrets).not.toContain("hedge-session-title");
    expect(options.keyVariables).toEqual(
      expect.arrayContaining([
        "PROXY_ACCESS",
        "MY_GATEWAY",
        "HEDGE_GATEWAY_KEY",
        "ANTHROPIC_API_KEY",
        "OPENAI_API_KEY",
      ]),
    );
    expect(options.denyRead).toEqual([home, "/somewhere/codex-home", "~/clients"]);
    expect(options.shellEnvironment.inherit).toBe("all");
  });
});
