import { describe, expect, it } from "vitest";
import { fileHome, hedge, login, parse } from "./auth-harness.js";

describe("logging in deliberately configures a hosted provider", () => {
  it("says so on login and on logout of the last profile; routing and doctor follow", async () => {
    const hedgeHome = fileHome();
    const before = await hedge(hedgeHome, [
      "route",
      "explain",
      "anthropic/claude-sonnet-4-5",
      "--json",
    ]);
    expect(before.code).toBe(1);

    const first = await login(
      hedgeHome,
      ["--provider", "anthropic", "--profile", "a1"],
      "sk-ant-a1-000000000000",
    );
    expect(first.stdout).toContain("anthropic (hosted, us) is now allowed");
    const second = await login(
      hedgeHome,
      ["--provider", "anthropic", "--profile", "a2"],
      "sk-ant-a2-000000000000",
    );
    expect(second.stdout).not.toContain("allowed");

    const explained = await hedge(hedgeHome, [
      "route",
      "explain",
      "anthropic/claude-sonnet-4-5",
      "--json",
    ]);
    expect(explained.code, explained.stderr).toBe(0);
    const routes = parse<{ routes: { route: string; profile?: string; order: number | null }[] }>(
      explained.stdout,
    ).routes;
    expect(routes.map((route) => [route.route, route.order])).toEqual([
      ["anthropic:profile:a1", 1],
      ["anthropic:profile:a2", 2],
    ]);

    const doctor = await hedge(hedgeHome, ["doctor", "--json"]);
    const report = parse<{
      checks: { id: string; summary: string }[];
      providers: { id: string; allowed: boolean; credential: string }[];
    }>(doctor.stdout);
    expect(report.checks.find((check) => check.id === "profiles")?.summary).toBe(
      "2 profiles: anthropic 2",
    );
    expect(report.providers.find((provider) => provider.id === "anthropic")).toMatchObject({
      allowed: true,
      credential: "profiles (2)",
    });

    const out1 = await hedge(hedgeHome, ["auth", "logout", "a1", "--yes"]);
    expect(out1.stdout).toContain("a2 is now the active anthropic profile");
    expect(out1.stdout).not.toContain("allowed");
    const out2 = await hedge(hedgeHome, ["auth", "logout", "a2", "--yes"]);
    expect(out2.stdout).toContain("anthropic (hosted, us) is no longer allowed (no profile left)");
    const after = await hedge(hedgeHome, [
      "route",
      "explain",
      "anthropic/claude-sonnet-4-5",
      "--json",
    ]);
    // Without a profile (and no [providers.anthropic] table) nothing serves it any more.
    expect(after.code).not.toBe(0);
    expect(after.stdout).not.toContain("profile:");
  });

  it("never widens regions or denials", async () => {
    const hedgeHome = fileHome('[policy]\nallow_regions = ["eu"]\ndeny_providers = ["openai"]\n');
    const denied = await login(hedgeHome, ["--provider", "openai"], "sk-o-0000000000000");
    expect(denied.stdout).toContain(
      'openai (hosted, us) stays denied: policy.deny_providers includes "openai"',
    );
    const eu = await login(
      hedgeHome,
      ["--provider", "anthropic", "--profile", "eu-key", "--region", "eu"],
      "sk-ant-eu-0000000000",
    );
    expect(eu.stdout).toContain("anthropic (hosted, eu) is now allowed");
    await login(
      hedgeHome,
      ["--provider", "anthropic", "--profile", "us-key"],
      "sk-ant-us-0000000000",
    );
    const explained = await hedge(hedgeHome, [
      "route",
      "explain",
      "anthropic/claude-haiku-4-5",
      "--json",
    ]);
    const plan = parse<{
      routes: { route: string }[];
      ruled_out: { route: string; excluded: string }[];
    }>(explained.stdout);
    // The eu profile's route is in eu; the other inherits the provider's us region and is denied.
    expect(plan.routes.map((route) => route.route)).toEqual(["anthropic:profile:eu-key"]);
    expect(plan.ruled_out).toEqual([
      {
        route: "anthropic:profile:us-key",
        provider: "anthropic",
        excluded: expect.stringContaining(
          'policy.allow_regions = ["eu"] excludes region "us"',
        ) as unknown,
      },
    ]);
  });

  it("a pinned profile (--profile or HEDGE_PROFILE) is its pool's only route", async () => {
    const hedgeHome = fileHome();
    await login(
      hedgeHome,
      ["--provider", "anthropic", "--profile", "a1"],
      "sk-ant-a1-000000000000",
    );
    await login(
      hedgeHome,
      ["--provider", "anthropic", "--profile", "a2"],
      "sk-ant-a2-000000000000",
    );
    const routesOf = async (args: string[], env: NodeJS.ProcessEnv = {}) => {
      const run = await hedge(
        hedgeHome,
        [...args, "route", "explain", "anthropic/claude-haiku-4-5", "--json"],
        { env },
      );
      expect(run.code, run.stderr).toBe(0);
      return parse<{ routes: { route: string }[] }>(run.stdout).routes.map((route) => route.route);
    };
    expect(await routesOf(["--profile", "a2"])).toEqual(["anthropic:profile:a2"]);
    expect(await routesOf([], { HEDGE_PROFILE: "a2" })).toEqual(["anthropic:profile:a2"]);
    const unknown = await hedge(hedgeHome, ["--profile", "zz", "route", "explain", "anthropic/x"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no profile named "zz"');
  });
});
