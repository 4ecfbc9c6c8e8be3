import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runHedge, tempDir } from "./run-hedge.js";

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()?.();
});

/** A HEDGE_HOME whose config.toml is valid and has a few tables a polluted prototype would reach. */
function home(config = '[policy]\nallow_classes = ["local"]\n[qa]\nmax_rounds = 2\n'): string {
  const created = tempDir();
  cleanups.push(created.cleanup);
  writeFileSync(join(created.path, "config.toml"), config);
  return created.path;
}

const HINT =
  "  hint: fix the value, then check with 'hedge config show' (docs: README, Configuration)";

describe("config keys that name an object's prototype", () => {
  it.each([
    ["__proto__.x=1", "__proto__.x"],
    ["constructor.prototype.x=1", "constructor.prototype.x"],
    ["policy.__proto__.allow_classes=['hosted']", "policy.__proto__.allow_classes"],
    ["qa.prototype=1", "qa.prototype"],
    ['routing.models."constructor".strategy="cheapest"', "routing.models.constructor.strategy"],
  ])("-c %s is an unknown key of -c, and the user's config still loads", async (override, key) => {
    const run = await runHedge(["config", "show", "-c", override], {
      env: { HEDGE_HOME: home() },
    });
    // Before the fix, `__proto__.x=1` wrote `x` onto Object.prototype and every table of the
    // user's own config.toml was then reported as having an unknown key `x`.
    expect(run.stderr).toBe(`hedge: -c: unknown key ${key}\n${HINT}\n`);
    expect(run.code).toBe(3);
    expect(run.stdout).toBe("");
  });

  it.each([
    ["[__proto__]\npolluted = 1\n", "__proto__"],
    ['[routing.models.__proto__]\nstrategy = "cheapest"\n', "routing.models.__proto__"],
    ['[providers.constructor]\nbase_url = "http://127.0.0.1:9/v1"\n', "providers.constructor"],
    ['[aliases]\nprototype = "lab/x"\n', "aliases.prototype"],
  ])("a config.toml with %j is an unknown-key error naming the file", async (toml, key) => {
    const hedgeHome = home(toml);
    const run = await runHedge(["config", "show"], { env: { HEDGE_HOME: hedgeHome } });
    expect(run.stderr.split("\n")[0]).toBe(
      `hedge: ${join(hedgeHome, "config.toml")}: unknown key ${key}`,
    );
    expect(run.code).toBe(3);
  });
});
