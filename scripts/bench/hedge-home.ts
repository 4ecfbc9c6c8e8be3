// A bench `$HEDGE_HOME` set up the way users run the gateway: a config, profiles logged in with
// `hedge auth login` (credentials_store = "file": the bench machine has no unlocked keychain)
// and, when asked, a gateway key from `hedge gateway key create`.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface BenchHome {
  home: string;
  /** The gateway key (`hk-…`) clients send as a Bearer token, when one was created. */
  key?: string;
}

function hedge(hedgeBin: string, home: string, args: string[], input?: string): string {
  const run = spawnSync(process.execPath, [hedgeBin, ...args], {
    env: { ...process.env, HEDGE_HOME: home },
    ...(input === undefined ? {} : { input }),
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(`hedge ${args.join(" ")}: ${run.stderr}`);
  return run.stdout;
}

/**
 * A new home under the system temp dir (added to `homes` for cleanup) with `config` (after
 * `credentials_store = "file"`), one logged-in profile per name in `profiles` for `provider`
 * (keys `key-NAME`), and a gateway key when `withKey`.
 */
export function benchHome(options: {
  hedgeBin: string;
  homes: string[];
  config: string;
  provider: string;
  profiles: readonly string[];
  withKey: boolean;
}): BenchHome {
  const home = mkdtempSync(join(tmpdir(), "hedge-bench-"));
  options.homes.push(home);
  writeFileSync(join(home, "config.toml"), `credentials_store = "file"\n${options.config}\n`);
  for (const name of options.profiles) {
    hedge(
      options.hedgeBin,
      home,
      ["auth", "login", "--provider", options.provider, "--profile", name],
      `key-${name}\n`,
    );
  }
  if (!options.withKey) return { home };
  const key = hedge(options.hedgeBin, home, ["gateway", "key", "create", "--name", "bench"]).trim();
  return { home, key };
}

/** `p1` … `pN`. */
export const profileNames = (count: number): string[] =>
  Array.from({ length: count }, (_, index) => `p${index + 1}`);
