import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { HedgeError } from "@hedge/model-spec";
import { execEnvironment, profileVariables } from "../src/exec-env.js";
import { maskSecret } from "../src/mask.js";
import { selectSecretStore } from "../src/store-select.js";
import { readTomlFile } from "../src/toml-file.js";
import { useTempHomes } from "./helpers.js";

const home = useTempHomes();

describe("maskSecret", () => {
  it("shows at most the last 4 characters and a conventional prefix", () => {
    expect(maskSecret("sk-test-abcdefgh1234abcd")).toBe("sk-…abcd");
    expect(maskSecret("AIzaSyD-0123456789abcdef")).toBe("…cdef");
    expect(maskSecret("short-key-12")).toBe("…12");
    expect(maskSecret("tiny")).toBe("…");
  });
});

describe("selectSecretStore", () => {
  const down = () => Promise.resolve({ reachable: false, detail: "no bus" });
  const up = () => Promise.resolve({ reachable: true, detail: "Secret Service" });

  it("auto: the keychain when it answers", async () => {
    const store = await selectSecretStore("auto", home(), { warn: () => undefined, probe: up });
    expect(store.location).toBe("keyring");
  });

  it("auto: the file with a warning naming the risk, shown once per home", async () => {
    const dir = home();
    const warnings: string[] = [];
    const warn = (line: string) => warnings.push(line);
    expect((await selectSecretStore("auto", dir, { warn, probe: down })).location).toBe("file");
    expect((await selectSecretStore("auto", dir, { warn, probe: down })).location).toBe("file");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("readable by any program running as you");
    expect(warnings[0]).toContain(join(dir, "credentials", "credentials.json"));
  });

  it("keyring: a clear error, no fallback", async () => {
    await expect(
      selectSecretStore("keyring", home(), { warn: () => undefined, probe: down }),
    ).rejects.toMatchObject({
      code: "keychain_unavailable",
      message: "OS keychain unreachable: no bus",
    });
  });

  it("file: never asks the keychain", async () => {
    const dir = home();
    let probed = false;
    const store = await selectSecretStore("file", dir, {
      warn: () => undefined,
      probe: () => {
        probed = true;
        return up();
      },
    });
    expect(store.location).toBe("file");
    expect(probed).toBe(false);
    expect(existsSync(join(dir, ".credentials-file-warned"))).toBe(false);
  });
});

describe("exec environment", () => {
  const keyEnv = (provider: string) =>
    ({ anthropic: "ANTHROPIC_API_KEY", openai: "OPENAI_API_KEY" })[provider];

  it("adds exactly the profile's variables and drops every other identity", () => {
    const variables = profileVariables(
      { name: "work", provider: "anthropic", kind: "api-key" },
      "sk-ant-work",
      keyEnv,
    );
    const env = execEnvironment(
      {
        PATH: "/bin",
        OPENAI_API_KEY: "sk-other",
        ANTHROPIC_API_KEY: "sk-parent",
        CODEX_HOME: "/x",
        OPENAI_BASE_URL: "http://y",
      },
      variables,
      ["OPENAI_API_KEY", "ANTHROPIC_API_KEY"],
    );
    expect(env).toEqual({ PATH: "/bin", ANTHROPIC_API_KEY: "sk-ant-work" });
  });

  it("gateway profiles set the base URL and key; cli-login profiles the vendor home", () => {
    expect(
      profileVariables(
        { name: "gw", provider: "gateway", kind: "gateway", url: "https://gw.example/v1" },
        "gk-1",
        keyEnv,
      ),
    ).toEqual({ OPENAI_BASE_URL: "https://gw.example/v1", OPENAI_API_KEY: "gk-1" });
    expect(
      profileVariables(
        { name: "c", provider: "claude-code", kind: "cli-login", home: "/h/c" },
        undefined,
        keyEnv,
      ),
    ).toEqual({ CLAUDE_CONFIG_DIR: "/h/c" });
    expect(
      profileVariables(
        { name: "x", provider: "codex", kind: "cli-login", home: "/h/x" },
        undefined,
        keyEnv,
      ),
    ).toEqual({ CODEX_HOME: "/h/x" });
  });
});

describe("readTomlFile", () => {
  const thrown = (read: () => unknown): unknown => {
    try {
      read();
    } catch (error) {
      return error;
    }
    return undefined;
  };
  const errors = {
    unreadable: (message: string) => new HedgeError("unreadable", message),
    invalid: (message: string) => new HedgeError("invalid", message),
  };

  it("parses a file, and a missing one is undefined", () => {
    const dir = home();
    const file = join(dir, "x.toml");
    expect(readTomlFile(file, errors)).toBeUndefined();
    writeFileSync(file, 'a = 1\n[b]\nc = "d"\n');
    expect(readTomlFile(file, errors)).toEqual({ a: 1, b: { c: "d" } });
  });

  it("names the file, line and column of bad TOML, and the read error", () => {
    const dir = home();
    const file = join(dir, "x.toml");
    writeFileSync(file, "a = 1\nb = = 2\n");
    expect(thrown(() => readTomlFile(file, errors))).toMatchObject({
      code: "invalid",
      message: expect.stringMatching(
        new RegExp(`^${file}:2:\\d+: invalid TOML: (?!Invalid)`),
      ) as unknown,
    });
    expect(thrown(() => readTomlFile(dir, errors))).toMatchObject({
      code: "unreadable",
      message: `cannot read ${dir} (EISDIR)`,
    });
  });
});
