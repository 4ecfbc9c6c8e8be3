import { spawnSync } from "node:child_process";
import { accessSync, constants, statSync } from "node:fs";
import { probeKeychain, listProfiles, type Profile } from "@hedge/auth";
import { isHedgeError } from "@hedge/model-spec";
import { SandboxUnavailableError, ensureBwrapWorks, findBwrap } from "@hedge/core";
import { evaluatePolicy, resolveProviders, type ResolvedProvider } from "@hedge/gateway";
import { loadConfig, type LoadedConfig } from "../config/load.js";
import { deliberateProviders, withLoggedInPresets } from "../composition/engine-factory.js";

export type CheckStatus = "ok" | "warn" | "fail";

export interface Check {
  id: string;
  status: CheckStatus;
  summary: string;
  hint?: string;
}

export interface ProviderRow {
  id: string;
  type: string;
  class: string;
  region: string;
  base_url: string;
  allowed: boolean;
  denied_by?: string;
  credential: string;
}

export function checkNode(version = process.versions.node): Check {
  const major = Number(version.split(".")[0]);
  return major >= 20
    ? { id: "node", status: "ok", summary: `Node ${version}` }
    : {
        id: "node",
        status: "fail",
        summary: `Node ${version} is too old`,
        hint: "install Node 20 or newer",
      };
}

export function checkHome(home: string): Check {
  let stats;
  try {
    stats = statSync(home);
  } catch {
    return {
      id: "home",
      status: "warn",
      summary: `${home} does not exist yet`,
      hint: "hedge creates it on first use (auth login, exec)",
    };
  }
  if (!stats.isDirectory()) {
    return {
      id: "home",
      status: "fail",
      summary: `${home} is not a directory`,
      hint: "move it away or point HEDGE_HOME at a directory",
    };
  }
  try {
    accessSync(home, constants.R_OK | constants.W_OK | constants.X_OK);
  } catch {
    return {
      id: "home",
      status: "fail",
      summary: `${home} is not writable by this user`,
      hint: `fix ownership: chown -R "$(id -u)" ${home}`,
    };
  }
  const mode = (stats.mode & 0o777).toString(8).padStart(4, "0");
  if ((stats.mode & 0o077) !== 0) {
    return {
      id: "home",
      status: "warn",
      summary: `${home} (mode ${mode}) is open to other users`,
      hint: `chmod 700 ${home}`,
    };
  }
  return { id: "home", status: "ok", summary: `${home} (mode ${mode})` };
}

export function checkConfig(
  home: string,
  cwd: string,
  overrides: readonly string[],
): { check: Check; loaded?: LoadedConfig } {
  try {
    const loaded = loadConfig({ home, cwd, overrides });
    const files = loaded.layers.filter((layer) => layer.present).map((layer) => layer.source);
    const summary = files.length
      ? `valid (${files.join(", ")})`
      : "no config files; built-in defaults";
    const ignored = loaded.project?.ignored.length ?? 0;
    if (loaded.project && ignored > 0) {
      return {
        check: {
          id: "config",
          status: "warn",
          summary: `${summary}; ${loaded.project.path} is not trusted: ${ignored} key${ignored === 1 ? "" : "s"} ignored`,
          hint: "see them with 'hedge config show'; 'hedge trust' in the project applies them",
        },
        loaded,
      };
    }
    return { check: { id: "config", status: "ok", summary }, loaded };
  } catch (error) {
    if (!isHedgeError(error)) throw error;
    return {
      check: {
        id: "config",
        status: "fail",
        summary: error.message,
        ...(error.hint ? { hint: error.hint } : {}),
      },
    };
  }
}

export async function checkKeychain(mode: string | undefined): Promise<Check> {
  const probe = await probeKeychain();
  if (probe.reachable)
    return { id: "keychain", status: "ok", summary: `OS keychain reachable (${probe.detail})` };
  if (mode === "keyring") {
    return {
      id: "keychain",
      status: "fail",
      summary: `OS keychain unreachable: ${probe.detail}`,
      hint: 'credentials_store = "keyring" needs it: start/unlock gnome-keyring, or set credentials_store = "auto"',
    };
  }
  const fallback = mode === "file" ? 'credentials_store = "file"' : "auto";
  return {
    id: "keychain",
    status: "warn",
    summary: `OS keychain unreachable: ${probe.detail}`,
    hint: `secrets go to $HEDGE_HOME/credentials/credentials.json (mode 0600) under ${fallback}`,
  };
}

/**
 * Finds and probes bubblewrap with core's own functions, so "works" means a sandboxed command
 * would run (the probe creates the same namespaces the sandbox does).
 */
export async function checkSandbox(): Promise<Check> {
  let bwrap: string;
  try {
    bwrap = findBwrap();
  } catch (error) {
    if (!(error instanceof SandboxUnavailableError)) throw error;
    return {
      id: "sandbox",
      status: "warn",
      summary: "bubblewrap (bwrap) not found: sandboxed modes will refuse to run commands",
      hint: "install it: apt-get install bubblewrap (Debian/Ubuntu), dnf install bubblewrap (Fedora)",
    };
  }
  const version = spawnSync(bwrap, ["--version"], { encoding: "utf8", timeout: 3000 });
  const name = (version.stdout ?? "").trim() || "bubblewrap";
  try {
    await ensureBwrapWorks(bwrap);
  } catch (error) {
    if (!(error instanceof SandboxUnavailableError)) throw error;
    return {
      id: "sandbox",
      status: "warn",
      summary: `${name} is installed but cannot create a sandbox: ${error.detail ?? "unknown reason"}`,
      hint:
        error.hint ??
        "enable unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1)",
    };
  }
  return { id: "sandbox", status: "ok", summary: `${name} works` };
}

/** Profiles per provider, in one line; reads profiles.toml only (no secret). */
export function checkProfiles(home: string): { check: Check; profiles: Profile[] } {
  let profiles: Profile[];
  try {
    profiles = listProfiles(home);
  } catch (error) {
    if (!isHedgeError(error)) throw error;
    return {
      check: {
        id: "profiles",
        status: "fail",
        summary: error.message,
        ...(error.hint ? { hint: error.hint } : {}),
      },
      profiles: [],
    };
  }
  if (profiles.length === 0) {
    return {
      check: {
        id: "profiles",
        status: "ok",
        summary: "none (local providers only until you log in)",
        hint: "hedge auth login --provider anthropic (or import keys: hedge auth import --from-env)",
      },
      profiles,
    };
  }
  const counts = new Map<string, number>();
  for (const profile of profiles) {
    counts.set(profile.provider, (counts.get(profile.provider) ?? 0) + 1);
  }
  const perProvider = [...counts].map(([provider, count]) => `${provider} ${count}`).join(", ");
  return {
    check: {
      id: "profiles",
      status: "ok",
      summary: `${profiles.length} profile${profiles.length === 1 ? "" : "s"}: ${perProvider}`,
    },
    profiles,
  };
}

export function checkProviders(
  loaded: LoadedConfig | undefined,
  profiles: readonly Profile[] = [],
): {
  check: Check;
  rows: ProviderRow[];
} {
  if (!loaded) {
    return {
      check: { id: "providers", status: "warn", summary: "not checked: config is invalid" },
      rows: [],
    };
  }
  let providers: ResolvedProvider[];
  try {
    providers = resolveProviders(
      withLoggedInPresets(loaded.config.providers, deliberateProviders(profiles)),
    );
  } catch (error) {
    if (!isHedgeError(error)) throw error;
    return {
      check: {
        id: "providers",
        status: "fail",
        summary: error.message,
        ...(error.hint ? { hint: error.hint } : {}),
      },
      rows: [],
    };
  }
  const rows = providers.map((provider): ProviderRow => {
    const verdict = evaluatePolicy(provider, loaded.config.policy, {
      deliberate: deliberateProviders(profiles),
    });
    return {
      id: provider.id,
      type: provider.type,
      class: provider.providerClass,
      region: provider.region,
      base_url: provider.baseUrl,
      allowed: verdict.allowed,
      ...(verdict.allowed ? {} : { denied_by: verdict.rule }),
      credential: describeCredential(provider, profiles),
    };
  });
  const classes = loaded.config.policy.allow_classes.join(", ");
  if (rows.length === 0) {
    return {
      check: {
        id: "providers",
        status: "warn",
        summary: `no providers configured (policy allows: ${classes})`,
        hint: "add [providers.ollama] for a local model server, or run 'hedge auth login --provider anthropic'",
      },
      rows,
    };
  }
  const allowed = rows.filter((row) => row.allowed).length;
  return {
    check: {
      id: "providers",
      status: allowed > 0 ? "ok" : "warn",
      summary: `${rows.length} configured, ${allowed} allowed by policy (allow_classes: ${classes})`,
      ...(allowed > 0
        ? {}
        : { hint: "no provider is allowed: review [policy] allow_classes / allow_regions" }),
    },
    rows,
  };
}

/** Where the provider's credential would come from. Names a variable, never shows a value. */
function describeCredential(provider: ResolvedProvider, profiles: readonly Profile[]): string {
  const pool = profiles.filter(
    (profile) => profile.provider === provider.id && profile.kind === "api-key",
  ).length;
  if (pool > 0) return `profiles (${pool})`;
  if (provider.apiKey) return "api_key in config";
  if (provider.apiKeyEnv && process.env[provider.apiKeyEnv]) return `$${provider.apiKeyEnv} (set)`;
  if (provider.providerClass === "local") return "none needed";
  return provider.apiKeyEnv ? `none ($${provider.apiKeyEnv} unset; no profile)` : "none";
}
