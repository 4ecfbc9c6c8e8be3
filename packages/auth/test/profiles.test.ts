import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { profilesPath } from "../src/profiles-file.js";
import {
  getProfile,
  listProfiles,
  readProfileSecret,
  removeProfile,
  saveProfile,
  switchProfile,
} from "../src/profiles.js";
import { loadProfilePools } from "../src/pools.js";
import { fileStore } from "../src/secret-store.js";
import { useTempHomes } from "./helpers.js";

const home = useTempHomes();

async function login(dir: string, name: string, provider: string, secret: string, extra = {}) {
  return saveProfile(
    dir,
    { name, provider, kind: "api-key", ...extra },
    { secret, store: fileStore(dir) },
  );
}

describe("profiles", () => {
  it("keeps metadata in profiles.toml and the secret out of it", async () => {
    const dir = home();
    const saved = await login(dir, "work", "anthropic", "sk-ant-secret-0000000000abcd", {
      region: "eu",
      labels: ["team"],
    });
    expect(saved.profile).toMatchObject({
      name: "work",
      provider: "anthropic",
      kind: "api-key",
      store: "file",
      region: "eu",
      labels: ["team"],
      active: true,
    });
    const text = readFileSync(profilesPath(dir), "utf8");
    expect(text).toContain("[profiles.work]");
    expect(text).not.toContain("sk-ant-secret");
    expect(await readProfileSecret(dir, saved.profile)).toBe("sk-ant-secret-0000000000abcd");
  });

  it("makes the first profile of a provider active and switches within the pool", async () => {
    const dir = home();
    await login(dir, "work", "anthropic", "k-work-000000000000");
    await login(dir, "personal", "anthropic", "k-personal-00000000");
    await login(dir, "oa", "openai", "k-openai-0000000000");
    const active = () =>
      listProfiles(dir)
        .filter((profile) => profile.active)
        .map((profile) => profile.name);
    expect(active()).toEqual(["work", "oa"]);
    const switched = await switchProfile(dir, "personal");
    expect(switched.previous).toBe("work");
    expect(active()).toEqual(["personal", "oa"]);
    expect(getProfile(dir, "personal").last_used_at).toBeDefined();
  });

  it("refuses a duplicate name unless forced, and replaces it when forced", async () => {
    const dir = home();
    await login(dir, "work", "anthropic", "k-one-0000000000000");
    await expect(login(dir, "work", "openai", "k-two-0000000000000")).rejects.toMatchObject({
      code: "profile_exists",
      exitCode: 2,
    });
    const replaced = await saveProfile(
      dir,
      { name: "work", provider: "openai", kind: "api-key" },
      { secret: "k-two-0000000000000", store: fileStore(dir), force: true },
    );
    expect(replaced.replaced?.provider).toBe("anthropic");
    expect(listProfiles(dir)).toHaveLength(1);
    expect(getProfile(dir, "work")).toMatchObject({ provider: "openai", active: true });
    expect(readProfilesActive(dir)).toEqual({ openai: "work" });
  });

  it("rejects invalid names", async () => {
    const dir = home();
    for (const name of ["Work", "-x", "a b", "x".repeat(65), "", "../up"]) {
      await expect(login(dir, name, "openai", "k-000000000000000")).rejects.toMatchObject({
        code: "profile_name_invalid",
      });
    }
    await expect(login(dir, "a.b_c-9", "openai", "k-000000000000000")).resolves.toBeDefined();
  });

  it("logout removes secret and metadata and hands the pool to the next profile", async () => {
    const dir = home();
    await login(dir, "a1", "anthropic", "k-a1-0000000000000");
    await login(dir, "a2", "anthropic", "k-a2-0000000000000");
    const removed = await removeProfile(dir, "a1");
    expect(removed).toMatchObject({ remaining: 1, newActive: "a2" });
    expect(await fileStore(dir).get("a1")).toBeUndefined();
    const last = await removeProfile(dir, "a2");
    expect(last.remaining).toBe(0);
    expect(readProfilesActive(dir)).toEqual({});
    await expect(removeProfile(dir, "a2")).rejects.toMatchObject({ code: "profile_not_found" });
  });

  it("orders pools active first, and a pinned profile alone", async () => {
    const dir = home();
    await login(dir, "a1", "anthropic", "k-a1-0000000000000");
    await login(dir, "a2", "anthropic", "k-a2-0000000000000", { region: "eu" });
    await login(dir, "a3", "anthropic", "k-a3-0000000000000");
    await login(dir, "o1", "openai", "k-o1-0000000000000");
    await switchProfile(dir, "a3");
    const pools = await loadProfilePools(dir);
    expect(pools.get("anthropic")?.map((member) => member.name)).toEqual(["a3", "a1", "a2"]);
    expect(pools.get("anthropic")?.[2]).toMatchObject({
      region: "eu",
      secret: "k-a2-0000000000000",
    });
    const pinned = await loadProfilePools(dir, { pinned: "a2" });
    expect(pinned.get("anthropic")?.map((member) => member.name)).toEqual(["a2"]);
    expect(pinned.get("openai")?.map((member) => member.name)).toEqual(["o1"]);
    await expect(loadProfilePools(dir, { pinned: "nope" })).rejects.toMatchObject({
      code: "profile_not_found",
    });
  });
});

describe("a corrupt profiles.toml", () => {
  it("is one error naming the line, is never overwritten, and a backup is kept on later writes", async () => {
    const dir = home();
    await login(dir, "work", "anthropic", "k-work-000000000000");
    const file = profilesPath(dir);
    const good = readFileSync(file, "utf8");
    const broken = good.replace('kind = "api-key"', 'kind = "api-key\nstore = ');
    writeFileSync(file, broken);
    const line = broken.split("\n").findIndex((text) => text.startsWith('kind = "api-key')) + 1;
    const error = (await login(dir, "other", "openai", "k-o-00000000000000").catch(
      (caught: unknown) => caught,
    )) as Error;
    expect(error).toMatchObject({ code: "profiles_invalid", exitCode: 3 });
    expect(error.message).toMatch(new RegExp(`^${escape(file)}:${line}:\\d+: invalid TOML`));
    expect(error.message.split("\n")).toHaveLength(1);
    expect(readFileSync(file, "utf8")).toBe(broken);
    expect(() => listProfiles(dir)).toThrow(/invalid TOML/);

    writeFileSync(file, good);
    await login(dir, "other", "openai", "k-o-00000000000000");
    expect(readFileSync(`${file}.bak`, "utf8")).toBe(good);
    expect(listProfiles(dir).map((profile) => profile.name)).toEqual(["work", "other"]);
  });

  it("names the key of a schema error", async () => {
    const dir = home();
    await login(dir, "work", "anthropic", "k-work-000000000000");
    const file = profilesPath(dir);
    writeFileSync(file, readFileSync(file, "utf8").replace('kind = "api-key"', 'kind = "apikey"'));
    expect(() => listProfiles(dir)).toThrow(/profiles\.work\.kind/);
    expect(existsSync(file)).toBe(true);
  });
});

function readProfilesActive(dir: string): Record<string, string> {
  const active: Record<string, string> = {};
  for (const profile of listProfiles(dir))
    if (profile.active) active[profile.provider] = profile.name;
  return active;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
