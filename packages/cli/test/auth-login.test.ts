import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { AsyncEntry } from "@napi-rs/keyring";
import { KEYCHAIN_OPTIONS, KEYCHAIN_SERVICE } from "@hedge/auth";
import { describe, expect, it } from "vitest";
import {
  NO_KEYCHAIN_ENV,
  fileHome,
  hedge,
  home,
  login,
  parse,
  uniqueName,
  type ListedProfile,
} from "./auth-harness.js";

function keychainSecret(name: string): Promise<string | null> {
  return new AsyncEntry(KEYCHAIN_SERVICE, name, KEYCHAIN_OPTIONS).getPassword();
}

async function list(hedgeHome: string): Promise<ListedProfile[]> {
  const run = await hedge(hedgeHome, ["auth", "list", "--json"]);
  expect(run.code).toBe(0);
  return parse<{ profiles: ListedProfile[] }>(run.stdout).profiles;
}

describe("hedge auth login (api-key)", () => {
  it("puts the key in the real OS keychain and only metadata in profiles.toml", async () => {
    const dir = home();
    const name = uniqueName("work");
    const key = `sk-ant-${uniqueName("key")}-wxyz`;
    const run = await login(
      dir,
      ["--provider", "anthropic", "--profile", name, "--label", "team", "--region", "us"],
      key,
    );
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`created profile ${name} (anthropic, api-key, keyring store)`);
    expect(await keychainSecret(name)).toBe(key);
    const profiles = readFileSync(join(dir, "profiles.toml"), "utf8");
    expect(profiles).toContain(`[profiles.${name}]`);
    expect(profiles).not.toContain(key);
    expect(existsSync(join(dir, "credentials"))).toBe(false);
    expect(await list(dir)).toEqual([
      expect.objectContaining({
        name,
        provider: "anthropic",
        kind: "api-key",
        store: "keyring",
        active: true,
        region: "us",
        labels: ["team"],
      }),
    ]);

    const logout = await hedge(dir, ["auth", "logout", name, "--yes"]);
    expect(logout.code).toBe(0);
    expect(await keychainSecret(name)).toBeNull();
    expect(await list(dir)).toEqual([]);
  });

  it("rejects an unknown provider in one line naming the nearest", async () => {
    const run = await login(fileHome(), ["--provider", "antropic"], "sk-x");
    expect(run.code).toBe(2);
    expect(run.stderr.split("\n")[0]).toBe(
      'hedge: unknown provider "antropic" (did you mean anthropic?)',
    );
  });

  it("rejects an invalid profile name", async () => {
    const run = await login(fileHome(), ["--provider", "openai", "--profile", "Work Key"], "sk-x");
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('invalid profile name "Work Key"');
  });

  it("rejects a duplicate name, and --force replaces it", async () => {
    const dir = fileHome();
    expect(
      (await login(dir, ["--provider", "openai", "--profile", "main"], "sk-one-000000000000")).code,
    ).toBe(0);
    const duplicate = await login(
      dir,
      ["--provider", "anthropic", "--profile", "main"],
      "sk-two-000000000000",
    );
    expect(duplicate.code).toBe(2);
    expect(duplicate.stderr).toContain('a profile named "main" already exists');
    expect(duplicate.stderr).toContain("--force");
    const forced = await login(
      dir,
      ["--provider", "anthropic", "--profile", "main", "--force"],
      "sk-two-000000000000",
    );
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain("replaced profile main (anthropic");
    expect(await list(dir)).toEqual([
      expect.objectContaining({ name: "main", provider: "anthropic", active: true }),
    ]);
  });

  it("rejects an empty key and saves nothing", async () => {
    const dir = fileHome();
    const run = await login(dir, ["--provider", "openai"], "   ");
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("empty key");
    expect(existsSync(join(dir, "profiles.toml"))).toBe(false);
  });
});

describe("credentials_store when the keychain is unavailable", () => {
  it("auto: falls back to a 0600 file and warns once, naming the risk", async () => {
    const dir = home();
    const first = await login(
      dir,
      ["--provider", "openai", "--profile", "a"],
      "sk-a-0000000000000",
      NO_KEYCHAIN_ENV,
    );
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(
      /^hedge: warning: OS keychain unreachable .*credentials\.json \(mode 0600\), readable by any program running as you/,
    );
    expect(first.stdout).toContain("(openai, api-key, file store)");
    const file = join(dir, "credentials", "credentials.json");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, "credentials")).mode & 0o777).toBe(0o700);
    const second = await login(
      dir,
      ["--provider", "openai", "--profile", "b"],
      "sk-b-0000000000000",
      NO_KEYCHAIN_ENV,
    );
    expect(second.code).toBe(0);
    expect(second.stderr).toBe("");
    const status = await hedge(dir, ["auth", "status", "b", "--json"], { env: NO_KEYCHAIN_ENV });
    expect(parse<{ profiles: ListedProfile[] }>(status.stdout).profiles[0]?.key).toBe("sk-…00");
  });

  it("keyring: a clear error, no fallback, nothing saved", async () => {
    const dir = home('credentials_store = "keyring"\n');
    const run = await login(dir, ["--provider", "openai"], "sk-never-0000000000", NO_KEYCHAIN_ENV);
    expect(run.code).toBe(1);
    expect(run.stderr.split("\n")[0]).toMatch(/^hedge: OS keychain unreachable: /);
    expect(run.stderr).toContain('credentials_store = "keyring" needs it');
    expect(existsSync(join(dir, "profiles.toml"))).toBe(false);
    expect(existsSync(join(dir, "credentials"))).toBe(false);
  });

  it("file: never touches the keychain, even when it is there", async () => {
    const dir = fileHome();
    const name = uniqueName("filed");
    const run = await login(
      dir,
      ["--provider", "openai", "--profile", name],
      "sk-file-000000000000",
    );
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    expect(run.stdout).toContain("file store");
    expect(await keychainSecret(name)).toBeNull();
    const offline = await login(
      dir,
      ["--provider", "openai", "--profile", "other"],
      "sk-file-000000000001",
      NO_KEYCHAIN_ENV,
    );
    expect(offline.code).toBe(0);
    expect(offline.stderr).toBe("");
  });
});

describe("profiles.toml faults", () => {
  it("a corrupt file is one error naming the line, left untouched; a backup is kept later", async () => {
    const dir = fileHome();
    expect(
      (await login(dir, ["--provider", "openai", "--profile", "one"], "sk-1-00000000000000")).code,
    ).toBe(0);
    const file = join(dir, "profiles.toml");
    const good = readFileSync(file, "utf8");
    const lines = good.split("\n");
    const at = lines.findIndex((line) => line.startsWith("kind = "));
    lines[at] = 'kind = "api-key';
    const broken = lines.join("\n");
    writeFileSync(file, broken);

    for (const args of [
      ["auth", "list"],
      ["auth", "status"],
    ]) {
      const run = await hedge(dir, args);
      expect(run.code).toBe(3);
      expect(run.stderr.split("\n")[0]).toMatch(
        new RegExp(`^hedge: .*profiles\\.toml:${at + 1}:\\d+: invalid TOML`),
      );
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
    const blocked = await login(
      dir,
      ["--provider", "openai", "--profile", "two"],
      "sk-2-00000000000000",
    );
    expect(blocked.code).toBe(3);
    expect(readFileSync(file, "utf8")).toBe(broken);

    writeFileSync(file, good);
    expect(
      (await login(dir, ["--provider", "openai", "--profile", "two"], "sk-2-00000000000000")).code,
    ).toBe(0);
    expect(readFileSync(`${file}.bak`, "utf8")).toBe(good);
    expect((await list(dir)).map((profile) => profile.name)).toEqual(["one", "two"]);
  });

  it.each([
    ["file", 'credentials_store = "file"\n'],
    ["keyring", ""],
  ])("two processes logging in at once both land (%s store)", async (store, config) => {
    const dir = home(config);
    const names = [
      uniqueName("left"),
      uniqueName("right"),
      uniqueName("third"),
      uniqueName("fourth"),
    ];
    const runs = await Promise.all(
      names.map((name, index) =>
        login(
          dir,
          ["--provider", index % 2 ? "openai" : "anthropic", "--profile", name],
          `sk-${name}-secret`,
        ),
      ),
    );
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    const profiles = await list(dir);
    expect(profiles.map((profile) => profile.name).sort()).toEqual([...names].sort());
    expect(profiles.filter((profile) => profile.active)).toHaveLength(2);
    for (const name of names) {
      const status = await hedge(dir, ["auth", "status", name, "--json"]);
      expect(parse<{ profiles: ListedProfile[] }>(status.stdout).profiles[0]?.key).toMatch(
        /^sk-…cret$/,
      );
      await hedge(dir, ["auth", "logout", name, "--yes"]);
    }
  });
});

describe("hedge auth login --verify", () => {
  it("makes one GET /models with the key and saves only when it is accepted", async () => {
    const seen: { path: string; authorization: string | undefined }[] = [];
    const server = createServer((request, response) => {
      seen.push({ path: request.url ?? "", authorization: request.headers.authorization });
      const ok = request.headers.authorization === "Bearer sk-good-000000000000";
      response.writeHead(ok ? 200 : 401, { "content-type": "application/json" });
      response.end(ok ? '{"data":[]}' : '{"error":{"message":"bad key"}}');
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      const dir = fileHome(`[providers.openai]\nbase_url = "http://127.0.0.1:${port}/v1"\n`);
      const bad = await login(dir, ["--provider", "openai", "--verify"], "sk-bad-0000000000000");
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain("answered HTTP 401: the key was rejected");
      expect(bad.stderr).not.toContain("sk-bad");
      expect(existsSync(join(dir, "profiles.toml"))).toBe(false);
      const good = await login(dir, ["--provider", "openai", "--verify"], "sk-good-000000000000");
      expect(good.code).toBe(0);
      expect(good.stdout).toContain(
        `verified: GET http://127.0.0.1:${port}/v1/models answered HTTP 200`,
      );
      expect(seen).toEqual([
        { path: "/v1/models", authorization: "Bearer sk-bad-0000000000000" },
        { path: "/v1/models", authorization: "Bearer sk-good-000000000000" },
      ]);
      // Without --verify nothing is called.
      await login(dir, ["--provider", "openai", "--profile", "quiet"], "sk-quiet-00000000000");
      expect(seen).toHaveLength(2);
    } finally {
      server.close();
    }
  });
});
