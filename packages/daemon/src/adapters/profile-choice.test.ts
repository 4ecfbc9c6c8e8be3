import type { ProfileUsageView, UsageReportView } from "@hedge/model-spec";
import { describe, expect, it } from "vitest";
import { chooseProfile } from "./profile-choice.js";

const NOW = Date.parse("2026-12-08T10:00:00Z");

function profile(
  name: string,
  provider: string,
  left: number,
  cooldownUntil?: string,
): ProfileUsageView {
  return {
    profile: name,
    provider,
    kind: "api-key",
    left,
    windows: [],
    cooldown: cooldownUntil
      ? { route: `${provider}:${name}`, kind: "rate_limit", until: cooldownUntil, reason: "429" }
      : null,
    last_switch: null,
  };
}

const report =
  (...profiles: ProfileUsageView[]) =>
  (): Promise<UsageReportView> =>
    Promise.resolve({ store: "sqlite", switch_below: 0.1, profiles });

const codex = { adapter: "codex", profile: null, viaGateway: false } as const;

describe("chooseProfile", () => {
  it("an explicit --profile wins over any headroom", async () => {
    const choice = await chooseProfile(
      { ...codex, profile: "low" },
      report(profile("low", "openai", 0.01), profile("high", "openai", 0.9)),
      NOW,
    );
    expect(choice).toEqual({ profile: "low", reason: "--profile" });
  });

  it("skips a profile cooling down even with more headroom, and says so", async () => {
    const choice = await chooseProfile(
      codex,
      report(
        profile("full", "codex", 1, "2026-12-08T11:00:00Z"),
        profile("half", "openai", 0.5),
        profile("other-vendor", "anthropic", 1),
      ),
      NOW,
    );
    expect(choice).toEqual({
      profile: "half",
      reason: "most headroom: 50% left (full cooling down until 2026-12-08T11:00:00Z)",
    });
  });

  it("a cooldown that has ended no longer counts", async () => {
    const choice = await chooseProfile(
      codex,
      report(profile("full", "codex", 1, "2026-12-08T09:00:00Z"), profile("half", "openai", 0.5)),
      NOW,
    );
    expect(choice.profile).toBe("full");
  });

  it("no profile for the vendor: the CLI's own login, and the reason says so", async () => {
    const choice = await chooseProfile(
      { adapter: "claude", profile: null, viaGateway: false },
      report(profile("o", "openai", 1)),
      NOW,
    );
    expect(choice).toEqual({
      profile: null,
      reason: "no hedge profile for claude: ran with claude's own login",
    });
  });

  it("every profile cooling down: the CLI's own login, naming them", async () => {
    const choice = await chooseProfile(
      codex,
      report(profile("a", "openai", 1, "2026-12-08T11:00:00Z")),
      NOW,
    );
    expect(choice.profile).toBeNull();
    expect(choice.reason).toContain("every codex profile is cooling down (a cooling down until");
  });

  it("a failing usage view is reported, not thrown", async () => {
    const choice = await chooseProfile(codex, () => Promise.reject(new Error("store locked")), NOW);
    expect(choice).toEqual({
      profile: null,
      reason: "usage unavailable (store locked): ran with codex's own login",
    });
  });

  it("--via-gateway and hedge leave the choice to hedge's routing", async () => {
    const usage = report(profile("a", "openai", 1));
    expect((await chooseProfile({ ...codex, viaGateway: true }, usage, NOW)).profile).toBeNull();
    expect(
      (await chooseProfile({ adapter: "hedge", profile: null, viaGateway: false }, usage, NOW))
        .profile,
    ).toBeNull();
  });
});
