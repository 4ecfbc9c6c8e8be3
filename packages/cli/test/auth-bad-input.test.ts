import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { dir, fileHome, hedge, login, parse } from "./auth-harness.js";
import { runHedge } from "./run-hedge.js";

/**
 * Every identity variable the vendors document (OpenAI and Codex, Anthropic and Claude Code with
 * its Bedrock/Vertex/Foundry switches, Gemini) and hedge's own, each set in the parent shell to a
 * value that must not reach the child.
 */
const FOREIGN_IDENTITY: Record<string, string> = {
  OPENAI_API_KEY: "sk-parent-openai",
  OPENAI_BASE_URL: "https://parent.example/v1",
  OPENAI_ORG_ID: "org-parent",
  OPENAI_PROJECT_ID: "proj_parent",
  CODEX_HOME: "/parent/codex",
  CODEX_API_KEY: "sk-parent-codex",
  CODEX_ACCESS_TOKEN: "parent-codex-token",
  ANTHROPIC_API_KEY: "sk-ant-parent",
  ANTHROPIC_AUTH_TOKEN: "parent-bearer",
  ANTHROPIC_BASE_URL: "https://parent-proxy.example",
  ANTHROPIC_CUSTOM_HEADERS: "x-api-key: parent",
  CLAUDE_CODE_OAUTH_TOKEN: "sk-ant-oat01-parent",
  CLAUDE_CONFIG_DIR: "/parent/claude",
  CLAUDE_CODE_USE_BEDROCK: "1",
  CLAUDE_CODE_USE_VERTEX: "1",
  AWS_BEARER_TOKEN_BEDROCK: "parent-bedrock",
  ANTHROPIC_VERTEX_PROJECT_ID: "parent-project",
  GEMINI_API_KEY: "parent-gemini",
  GOOGLE_API_KEY: "parent-google",
  GOOGLE_GENAI_USE_VERTEXAI: "true",
  HEDGE_GATEWAY_KEY: "hg-parent",
  HEDGE_PROFILE: "someone-else",
  MY_GATEWAY_KEY: "hg-parent-configured",
};

/** Variables that carry no identity: kept. */
const NEUTRAL = { HOME: "/home/someone", AWS_REGION: "eu-west-1", LANG: "C.UTF-8" };

const PRINT_ENV = "process.stdout.write(JSON.stringify(process.env))";

async function childEnv(hedgeHome: string, profile: string): Promise<Record<string, string>> {
  const run = await hedge(
    hedgeHome,
    ["auth", "exec", profile, "--", process.execPath, "-e", PRINT_ENV],
    { env: { ...FOREIGN_IDENTITY, ...NEUTRAL } },
  );
  expect(run.code, run.stderr).toBe(0);
  return parse<Record<string, string>>(run.stdout);
}

/** The child's variables that are foreign identity variables, and the neutral ones. */
function identityOf(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter(([name]) => name in FOREIGN_IDENTITY || name in NEUTRAL),
  );
}

describe("hedge auth exec removes every other identity", () => {
  it("keeps only the chosen profile's variables, whatever the parent shell set", async () => {
    const hedgeHome = fileHome('[client]\ngateway_key_env = "MY_GATEWAY_KEY"\n');
    await login(hedgeHome, ["--provider", "anthropic", "--profile", "ant"], "sk-ant-own-000000000");
    await login(
      hedgeHome,
      ["--provider", "gateway", "--profile", "gw", "--url", "https://gw.example.com/v1"],
      "gk-own-0000000000000",
    );
    const claudeHome = join(dir(), "claude");
    mkdirSync(claudeHome);
    const adopted = await hedge(hedgeHome, [
      "auth",
      "login",
      "--provider",
      "claude-code",
      "--profile",
      "cc",
      "--home",
      claudeHome,
    ]);
    expect(adopted.code, adopted.stderr).toBe(0);

    expect(identityOf(await childEnv(hedgeHome, "ant"))).toEqual({
      ...NEUTRAL,
      ANTHROPIC_API_KEY: "sk-ant-own-000000000",
    });
    expect(identityOf(await childEnv(hedgeHome, "gw"))).toEqual({
      ...NEUTRAL,
      OPENAI_BASE_URL: "https://gw.example.com/v1",
      OPENAI_API_KEY: "gk-own-0000000000000",
    });
    expect(identityOf(await childEnv(hedgeHome, "cc"))).toEqual({
      ...NEUTRAL,
      CLAUDE_CONFIG_DIR: claudeHome,
    });
  });
});

describe("hedge auth login refuses a key with control characters", () => {
  it.each([
    ["a newline", "sk-abcdef123456\nsk-second-key-99", "a newline at character 16"],
    ["a tab", "sk-abcdef\t123456789", "a tab at character 10"],
    ["an escape sequence", "sk-\u001b[31mabcdef123456", "an escape (ESC) at character 4"],
    ["a NUL", "sk-abcdef\u0000123456789", "a NUL at character 10"],
    ["a C1 control", "sk-abcdef\u0085123456789", "control character U+0085 at character 10"],
  ])("with %s: one line, exit 2, nothing stored", async (_what, key, where) => {
    const hedgeHome = fileHome();
    const run = await login(hedgeHome, ["--provider", "openai", "--profile", "o"], key);
    expect(run.code).toBe(2);
    expect(run.stderr.split("\n")[0]).toBe(`hedge: the key contains ${where}: nothing was stored`);
    expect(run.stderr).not.toContain("abcdef");
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(hedgeHome, "profiles.toml"))).toBe(false);
    const credentials = join(hedgeHome, "credentials");
    expect(existsSync(credentials) ? readdirSync(credentials) : []).toEqual([]);
  });
});

describe("hedge auth import --from-env with a control character in a key", () => {
  it("skips that variable with its reason and imports the others", async () => {
    const hedgeHome = fileHome();
    const run = await hedge(hedgeHome, ["auth", "import", "--from-env", "--json"], {
      env: {
        OPENAI_API_KEY: "sk-abcdef123456\u001b[2Jmore",
        ANTHROPIC_API_KEY: "sk-ant-good-0000000",
      },
    });
    expect(run.code, run.stderr).toBe(0);
    const report = parse<{
      imported: { variable: string }[];
      skipped: { variable: string; reason: string }[];
    }>(run.stdout);
    expect(report.imported.map((entry) => entry.variable)).toEqual(["ANTHROPIC_API_KEY"]);
    expect(report.skipped).toEqual([
      {
        variable: "OPENAI_API_KEY",
        reason:
          "the key in $OPENAI_API_KEY contains an escape (ESC) at character 16: nothing was stored",
      },
    ]);
    expect(run.stdout + run.stderr).not.toContain("abcdef");
  });
});

describe("hedge doctor masks credentials in URLs", () => {
  it("in provider base URLs and config errors, as text and as --json", async () => {
    const hedgeHome = dir();
    writeFileSync(
      join(hedgeHome, "config.toml"),
      [
        "[providers.lab]",
        'base_url = "http://alice:hunter2@127.0.0.1:9/v1"',
        "[providers.gem]",
        'type = "openai-compatible"',
        'base_url = "https://generativelanguage.googleapis.com/v1beta/openai?alt=sse&key=AIzaSyPARENT0123&access_token=ya29.tok"',
      ].join("\n"),
    );
    for (const args of [["doctor"], ["doctor", "--json"]]) {
      const run = await runHedge(args, { env: { HEDGE_HOME: hedgeHome } });
      expect(run.stdout).toContain("http://***@127.0.0.1:9/v1");
      expect(run.stdout).toContain(
        "https://generativelanguage.googleapis.com/v1beta/openai?alt=sse&key=***&access_token=***",
      );
      for (const secret of ["alice", "hunter2", "AIzaSyPARENT0123", "ya29.tok"]) {
        expect(run.stdout + run.stderr).not.toContain(secret);
      }
    }

    // A config error quoting a URL (the store is not one hedge knows) is masked the same way.
    writeFileSync(join(hedgeHome, "config.toml"), 'store = "mongodb://root:s3cret@db:27017/x"\n');
    for (const args of [["doctor"], ["doctor", "--json"]]) {
      const run = await runHedge(args, { env: { HEDGE_HOME: hedgeHome } });
      expect(run.code).toBe(1);
      expect(run.stdout).toContain("mongodb://***@db:27017/x");
      expect(run.stdout).not.toContain("s3cret");
    }
  });
});
