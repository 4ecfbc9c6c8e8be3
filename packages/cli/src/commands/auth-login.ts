import { spawn } from "node:child_process";
import { existsSync, mkdirSync, rmSync, statSync } from "node:fs";
import { resolve } from "node:path";
import {
  CLI_LOGIN_VENDORS,
  assertProfileName,
  assertSecretText,
  cliLoginHome,
  hasLoginFile,
  listProfiles,
  profileExistsError,
  readSecret,
  saveProfile,
  selectSecretStore,
  type CliLoginVendor,
  type NewProfile,
  type Profile,
  type SavedProfile,
} from "@hedge/auth";
import { HedgeError, UsageError } from "@hedge/model-spec";
import { commandContext, type CommandContext } from "../command-context.js";
import { clearProfileMarks } from "../composition/admin.js";
import type { GlobalOptions } from "../context.js";
import {
  assertKnownProvider,
  gatewayProvider,
  kindOf,
  knownProviders,
  policyChangeLine,
  authHeaders,
} from "../composition/providers.js";

export interface LoginOptions {
  provider: string;
  profile?: string;
  region?: string;
  labels: string[];
  home?: string;
  url?: string;
  force: boolean;
  verify: boolean;
}

/** `hedge auth login --provider P`: creates a profile (api-key, cli-login or gateway). */
export async function runAuthLogin(globals: GlobalOptions, options: LoginOptions): Promise<void> {
  const context = commandContext(globals);
  const providers = context.loaded.config.providers;
  assertKnownProvider(options.provider, knownProviders(providers));
  const name = options.profile ?? options.provider;
  assertProfileName(name);
  const before = listProfiles(context.home);
  const existing = before.find((profile) => profile.name === name);
  if (existing && !options.force) throw profileExistsError(existing);
  const kind = kindOf(options.provider);
  if (options.home !== undefined && kind !== "cli-login") {
    throw new UsageError(`--home is for cli-login providers (codex, claude-code)`);
  }
  if (options.url !== undefined && kind !== "gateway") {
    throw new UsageError(`--url is for the gateway provider`);
  }
  const input: NewProfile = {
    name,
    provider: options.provider,
    kind,
    labels: options.labels,
    ...(options.region ? { region: options.region } : {}),
  };
  let saved: SavedProfile;
  if (kind === "cli-login") {
    saved = await loginCliVendor(context, input, options);
  } else {
    const url = kind === "gateway" ? gatewayUrl(options.url) : undefined;
    const secret = await readSecret(
      process.stdin,
      process.stderr,
      `${kind === "gateway" ? "Gateway key" : "API key"} for ${options.provider} (input hidden): `,
    );
    if (secret === "") {
      throw new UsageError("empty key: nothing was read", {
        code: "key_empty",
        hint: `pipe it in: printenv KEY | hedge auth login --provider ${options.provider}`,
      });
    }
    // Before --verify, too: a key with a newline or ESC goes nowhere, not even into a header.
    assertSecretText(secret, kind === "gateway" ? "gateway key" : "key");
    if (options.verify) await verify(context, options.provider, url, secret);
    const store = await selectSecretStore(context.loaded.config.credentials_store, context.home, {
      warn: (line) => process.stderr.write(`hedge: ${line}\n`),
    });
    saved = await saveProfile(
      context.home,
      { ...input, ...(url ? { url } : {}) },
      {
        secret,
        store,
        force: options.force,
      },
    );
  }
  const cleared = await clearMarks(context, saved.profile);
  report(context, saved, before, cleared);
}

/**
 * A re-login ends the marks the profile's previous key earned (refused key, missing permission)
 * in the shared state, so its route is tried again; a Store that cannot be opened only warns.
 */
async function clearMarks(context: CommandContext, profile: Profile): Promise<number> {
  try {
    return await clearProfileMarks(context, profile.provider, profile.name);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    process.stderr.write(
      `hedge: warning: the gateway state was not updated (${reason}); clear old marks with 'hedge gateway reset ${profile.provider}:profile:${profile.name}'\n`,
    );
    return 0;
  }
}

function report(
  context: CommandContext,
  saved: SavedProfile,
  before: readonly Profile[],
  cleared: number,
): void {
  const { profile } = saved;
  const where =
    profile.kind === "cli-login" ? `home ${profile.home ?? "?"}` : `${profile.store} store`;
  const lines = [
    `${saved.replaced ? "replaced" : "created"} profile ${profile.name} (${profile.provider}, ${profile.kind}, ${where})`,
  ];
  if (profile.active) {
    lines.push(
      saved.poolSize > 1
        ? `${profile.name} is the active ${profile.provider} profile`
        : `${profile.name} is the active ${profile.provider} profile (the first of its pool)`,
    );
  } else {
    lines.push(`switch to it with: hedge auth switch ${profile.name}`);
  }
  if (profile.kind === "api-key") {
    const change = policyChangeLine(context, profile.provider, before, profile.region, "login");
    if (change) lines.push(change);
  }
  if (cleared > 0)
    lines.push(
      `cleared ${cleared} mark(s) of ${profile.provider}:profile:${profile.name} (refusals of its previous key)`,
    );
  process.stdout.write(`${lines.join("\n")}\n`);
}

function gatewayUrl(url: string | undefined): string {
  if (!url) {
    throw new UsageError("the gateway provider needs --url", {
      hint: "hedge auth login --provider gateway --url https://gateway.example.com/v1",
    });
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`--url is not a URL: ${url}`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new UsageError(`--url must be http(s): ${url}`);
  }
  if (parsed.username || parsed.password) {
    throw new UsageError("--url must not carry credentials; the key is read separately");
  }
  return url.replace(/\/+$/, "");
}

/** One cheap call, only when asked (it may be a hosted call): GET {base_url}/models. */
async function verify(
  context: CommandContext,
  provider: string,
  url: string | undefined,
  secret: string,
): Promise<void> {
  const resolved = url ? undefined : gatewayProvider(provider, context.loaded.config.providers);
  const baseUrl = url ?? resolved?.baseUrl;
  if (!baseUrl) throw new UsageError(`--verify: no base URL known for ${provider}`);
  const headers = authHeaders(resolved?.wire ?? "chat", secret);
  let status: number;
  try {
    const response = await fetch(`${baseUrl}/models`, {
      headers,
      signal: AbortSignal.timeout(15_000),
    });
    status = response.status;
    await response.body?.cancel();
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new HedgeError(
      "verify_failed",
      `--verify: ${baseUrl}/models unreachable (${reason.split("\n")[0] ?? ""})`,
      {
        hint: "check the network or the base URL; nothing was saved",
      },
    );
  }
  if (status < 200 || status >= 300) {
    const meaning = status === 401 || status === 403 ? "the key was rejected" : "unexpected answer";
    throw new HedgeError(
      "verify_failed",
      `--verify: GET ${baseUrl}/models answered HTTP ${status}: ${meaning}`,
      {
        hint: "check the key; nothing was saved",
      },
    );
  }
  process.stdout.write(`verified: GET ${baseUrl}/models answered HTTP ${status}\n`);
}

/** cli-login: adopt `--home DIR`, or create the isolated home and run the vendor's own login. */
async function loginCliVendor(
  context: CommandContext,
  input: NewProfile,
  options: LoginOptions,
): Promise<SavedProfile> {
  const vendor = CLI_LOGIN_VENDORS[input.provider] as CliLoginVendor;
  if (options.home !== undefined) {
    const home = resolve(options.home);
    if (!existsSync(home) || !statSync(home).isDirectory()) {
      throw new UsageError(`--home ${home} is not a directory`, {
        hint: `point it at an existing ${vendor.title} home (its ${vendor.homeEnv})`,
      });
    }
    if (!hasLoginFile(vendor, home)) {
      process.stderr.write(
        `hedge: warning: ${home} has no ${vendor.loginFiles.join(" or ")} yet; run ${vendor.bin} with ${vendor.homeEnv}=${home} to log in\n`,
      );
    }
    return saveProfile(context.home, { ...input, home }, { force: options.force });
  }
  const home = cliLoginHome(context.home, input.name);
  const created = !existsSync(home);
  mkdirSync(home, { recursive: true, mode: 0o700 });
  try {
    await runVendorLogin(vendor, home);
  } catch (error) {
    if (created) rmSync(home, { recursive: true, force: true });
    throw error;
  }
  if (!hasLoginFile(vendor, home)) {
    process.stderr.write(
      `hedge: warning: ${vendor.title} finished but ${home} has no ${vendor.loginFiles.join(" or ")}\n`,
    );
  }
  return saveProfile(context.home, { ...input, home }, { force: options.force });
}

function runVendorLogin(vendor: CliLoginVendor, home: string): Promise<void> {
  const bin = process.env[vendor.binEnv] || vendor.bin;
  process.stderr.write(
    `hedge: running '${vendor.bin} ${vendor.loginArgs.join(" ")}' with ${vendor.homeEnv}=${home}\n`,
  );
  return new Promise((resolvePromise, reject) => {
    const child = spawn(bin, [...vendor.loginArgs], {
      stdio: "inherit",
      env: { ...process.env, [vendor.homeEnv]: home },
    });
    child.on("error", (error: NodeJS.ErrnoException) => {
      reject(
        new HedgeError(
          "vendor_cli_missing",
          error.code === "ENOENT"
            ? `${bin} not found (${vendor.title})`
            : `cannot run ${bin}: ${error.message}`,
          { hint: `install ${vendor.title}, or point ${vendor.binEnv} at its binary` },
        ),
      );
    });
    child.on("close", (code, signal) => {
      if (code === 0) resolvePromise();
      else {
        reject(
          new HedgeError(
            "vendor_login_failed",
            `${vendor.bin} ${vendor.loginArgs.join(" ")} failed (${signal ?? `exit ${code ?? "?"}`}); no profile was saved`,
            { hint: `run it again: hedge auth login --provider ${vendor.provider}` },
          ),
        );
      }
    });
  });
}
