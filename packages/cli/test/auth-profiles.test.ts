import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  dir,
  fakeVendor,
  fileHome,
  hedge,
  login,
  parse,
  type ListedProfile,
} from "./auth-harness.js";

async function profiles(hedgeHome: string, command = "list"): Promise<ListedProfile[]> {
  const run = await hedge(hedgeHome, ["auth", command, "--json"]);
  expect(run.code, run.stderr).toBe(0);
  return parse<{ profiles: ListedProfile[] }>(run.stdout).profiles;
}

describe("hedge auth login (cli-login)", () => {
  it("creates an isolated home and runs the vendor CLI's own login inside it", async () => {
    const hedgeHome = fileHome();
    const codex = fakeVendor("CODEX_HOME", "auth.json");
    const run = await hedge(
      hedgeHome,
      ["auth", "login", "--provider", "codex", "--profile", "sub"],
      {
        env: { HEDGE_CODEX_BIN: codex },
      },
    );
    expect(run.code, run.stderr).toBe(0);
    const vendorHome = join(hedgeHome, "homes", "sub");
    expect(run.stdout).toContain(`fake vendor login in ${vendorHome}`);
    expect(run.stdout).toContain(`created profile sub (codex, cli-login, home ${vendorHome})`);
    expect(existsSync(join(vendorHome, "auth.json"))).toBe(true);
    expect(await profiles(hedgeHome, "status")).toEqual([
      expect.objectContaining({
        name: "sub",
        kind: "cli-login",
        store: "none",
        home: vendorHome,
        logged_in: true,
      }),
    ]);
    const removed = await hedge(hedgeHome, ["auth", "logout", "sub", "--yes"]);
    expect(removed.code).toBe(0);
    expect(existsSync(vendorHome)).toBe(false);
  });

  it("runs claude's login with CLAUDE_CONFIG_DIR", async () => {
    const hedgeHome = fileHome();
    const claude = fakeVendor("CLAUDE_CONFIG_DIR", ".credentials.json");
    const run = await hedge(hedgeHome, ["auth", "login", "--provider", "claude-code"], {
      env: { HEDGE_CLAUDE_BIN: claude },
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(
      `fake vendor auth login in ${join(hedgeHome, "homes", "claude-code")}`,
    );
    expect((await profiles(hedgeHome, "status"))[0]).toMatchObject({ logged_in: true });
  });

  it("saves nothing and removes the new home when the vendor login fails", async () => {
    const hedgeHome = fileHome();
    const codex = fakeVendor("CODEX_HOME", "auth.json");
    const run = await hedge(hedgeHome, ["auth", "login", "--provider", "codex"], {
      env: { HEDGE_CODEX_BIN: codex, FAKE_VENDOR_EXIT: "3" },
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("login failed (exit 3); no profile was saved");
    expect(existsSync(join(hedgeHome, "homes", "codex"))).toBe(false);
    expect(await profiles(hedgeHome)).toEqual([]);
  });

  it("names a missing vendor CLI", async () => {
    const run = await hedge(fileHome(), ["auth", "login", "--provider", "codex"], {
      env: { HEDGE_CODEX_BIN: "/nonexistent/codex" },
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("/nonexistent/codex not found (Codex CLI)");
    expect(run.stderr).toContain("HEDGE_CODEX_BIN");
  });

  it("adopts an existing home with --home, running nothing", async () => {
    const hedgeHome = fileHome();
    const existing = dir();
    writeFileSync(join(existing, "auth.json"), "{}");
    const run = await hedge(
      hedgeHome,
      ["auth", "login", "--provider", "codex", "--profile", "old", "--home", existing],
      {
        env: { HEDGE_CODEX_BIN: "/nonexistent/codex" },
      },
    );
    expect(run.code, run.stderr).toBe(0);
    expect((await profiles(hedgeHome, "status"))[0]).toMatchObject({
      home: existing,
      logged_in: true,
    });
    await hedge(hedgeHome, ["auth", "logout", "old", "--yes"]);
    expect(existsSync(join(existing, "auth.json"))).toBe(true);
  });
});

describe("hedge auth switch, list, status, logout", () => {
  it("switches the active profile of a pool; status masks the key", async () => {
    const hedgeHome = fileHome();
    await login(
      hedgeHome,
      ["--provider", "anthropic", "--profile", "work"],
      "sk-ant-work-0000000000000aaaa",
    );
    const second = await login(
      hedgeHome,
      ["--provider", "anthropic", "--profile", "personal"],
      "sk-ant-personal-00000000bbbb",
    );
    expect(second.stdout).toContain("switch to it with: hedge auth switch personal");
    const switched = await hedge(hedgeHome, ["auth", "switch", "personal"]);
    expect(switched.stdout).toBe("personal is now the active anthropic profile (was work)\n");
    const status = await profiles(hedgeHome, "status");
    expect(status.map((profile) => [profile.name, profile.active, profile.key])).toEqual([
      ["personal", true, "sk-…bbbb"],
      ["work", false, "sk-…aaaa"],
    ]);
    const table = await hedge(hedgeHome, ["auth", "list"]);
    expect(table.stdout.split("\n")[0]).toMatch(
      /^name\s+provider\s+kind\s+store\s+active\s+region\s+labels$/,
    );
    const unknown = await hedge(hedgeHome, ["auth", "switch", "nope"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no profile named "nope"');
  });

  it("logout refuses without --yes when stdin is not a terminal", async () => {
    const hedgeHome = fileHome();
    await login(hedgeHome, ["--provider", "openai"], "sk-o-0000000000000");
    const refused = await hedge(hedgeHome, ["auth", "logout", "openai"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("add --yes");
    expect(await profiles(hedgeHome)).toHaveLength(1);
  });
});

describe("hedge auth import --from-env", () => {
  it("creates profiles named after providers, skips keys already imported, prints no secret", async () => {
    const hedgeHome = fileHome();
    const env = {
      OPENAI_API_KEY: "sk-openai-import-00001111",
      ANTHROPIC_API_KEY: "sk-ant-import-000022223333",
    };
    const first = await hedge(hedgeHome, ["auth", "import", "--from-env", "--json"], { env });
    expect(first.code, first.stderr).toBe(0);
    expect(parse<unknown>(first.stdout)).toEqual({
      imported: [
        { variable: "OPENAI_API_KEY", provider: "openai", profile: "openai", store: "file" },
        {
          variable: "ANTHROPIC_API_KEY",
          provider: "anthropic",
          profile: "anthropic",
          store: "file",
        },
      ],
      skipped: [],
    });
    const again = await hedge(hedgeHome, ["auth", "import", "--from-env"], { env });
    expect(again.stdout).toContain("skipped OPENAI_API_KEY: already imported");
    const changed = await hedge(hedgeHome, ["auth", "import", "--from-env"], {
      env: { OPENAI_API_KEY: "sk-openai-rotated-0000999" },
    });
    expect(changed.stdout).toContain("imported OPENAI_API_KEY -> profile openai-2");
    for (const run of [first, again, changed]) {
      expect(run.stdout + run.stderr).not.toMatch(/sk-openai-|sk-ant-import/);
    }
    const none = await hedge(hedgeHome, ["auth", "import", "--from-env"]);
    expect(none.stdout).toContain("no key variables set");
  });
});

describe("hedge auth exec", () => {
  const printEnv =
    'process.stdout.write(JSON.stringify(Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== "HEDGE_HOME" && /KEY|HOME|BASE_URL|CONFIG_DIR|TOKEN/.test(k)))))';

  it("sets exactly that profile's variables and nothing of the others", async () => {
    const hedgeHome = fileHome();
    await login(
      hedgeHome,
      ["--provider", "anthropic", "--profile", "ant"],
      "sk-ant-exec-0000000000",
    );
    await login(hedgeHome, ["--provider", "openai", "--profile", "oai"], "sk-openai-exec-00000000");
    await login(
      hedgeHome,
      ["--provider", "gateway", "--profile", "gw", "--url", "https://gw.example.com/v1/"],
      "gk-exec-0000000000000",
    );
    const vendorHome = dir();
    mkdirSync(join(vendorHome, "c"));
    await hedge(hedgeHome, [
      "auth",
      "login",
      "--provider",
      "codex",
      "--profile",
      "cx",
      "--home",
      join(vendorHome, "c"),
    ]);
    const parent = {
      OPENAI_API_KEY: "sk-parent-openai",
      ANTHROPIC_API_KEY: "sk-parent-anthropic",
      DEEPSEEK_API_KEY: "sk-parent-deepseek",
      CODEX_HOME: "/parent/codex",
      CLAUDE_CONFIG_DIR: "/parent/claude",
      OPENAI_BASE_URL: "https://parent.example",
      HOME: "/home/someone",
    };
    const envOf = async (name: string) => {
      const run = await hedge(
        hedgeHome,
        ["auth", "exec", name, "--", process.execPath, "-e", printEnv],
        { env: parent },
      );
      expect(run.code, run.stderr).toBe(0);
      return parse<Record<string, string>>(run.stdout);
    };
    expect(await envOf("ant")).toEqual({
      HOME: "/home/someone",
      ANTHROPIC_API_KEY: "sk-ant-exec-0000000000",
    });
    expect(await envOf("oai")).toEqual({
      HOME: "/home/someone",
      OPENAI_API_KEY: "sk-openai-exec-00000000",
    });
    expect(await envOf("gw")).toEqual({
      HOME: "/home/someone",
      OPENAI_BASE_URL: "https://gw.example.com/v1",
      OPENAI_API_KEY: "gk-exec-0000000000000",
    });
    expect(await envOf("cx")).toEqual({ HOME: "/home/someone", CODEX_HOME: join(vendorHome, "c") });
  });

  it("exits with the command's exit code, and passes signals on", async () => {
    const hedgeHome = fileHome();
    await login(hedgeHome, ["--provider", "openai", "--profile", "o"], "sk-o-0000000000000");
    const failed = await hedge(hedgeHome, [
      "auth",
      "exec",
      "o",
      "--",
      process.execPath,
      "-e",
      "process.exit(7)",
    ]);
    expect(failed.code).toBe(7);
    const missing = await hedge(hedgeHome, ["auth", "exec", "o", "--", "/nonexistent/tool"]);
    expect(missing.code).toBe(127);
    expect(missing.stderr).toContain("command not found: /nonexistent/tool");

    const { spawn } = await import("node:child_process");
    const { HEDGE_BIN } = await import("./run-hedge.js");
    const child = spawn(
      process.execPath,
      [
        HEDGE_BIN,
        "auth",
        "exec",
        "o",
        "--",
        process.execPath,
        "-e",
        "process.on('SIGTERM', () => { console.log('child got SIGTERM'); process.exit(42); }); console.log('ready'); setInterval(() => {}, 1000);",
      ],
      {
        env: { PATH: process.env["PATH"], HEDGE_HOME: hedgeHome },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let output = "";
    await new Promise<void>((resolve) => {
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
        output += chunk;
        if (output.includes("ready")) resolve();
      });
    });
    child.kill("SIGTERM");
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(output).toContain("child got SIGTERM");
    expect(code).toBe(42);
  });
});
