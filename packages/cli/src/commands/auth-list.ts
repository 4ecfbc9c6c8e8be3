import {
  CLI_LOGIN_VENDORS,
  getProfile,
  hasLoginFile,
  listProfiles,
  maskSecret,
  readProfileSecret,
  type Profile,
} from "@hedge/auth";
import { hedgeHome } from "../context.js";
import { table } from "../terminal.js";

/** A profile as printed by list and status: metadata, never a secret. */
interface ProfileView {
  name: string;
  provider: string;
  kind: string;
  store: string;
  active: boolean;
  region: string | null;
  labels: string[];
  home?: string;
  url?: string;
  created_at: string;
  last_used_at: string | null;
  /** status: the masked key, or why there is none. */
  key?: string;
  /** status of cli-login profiles: whether the home holds the vendor CLI's login file. */
  logged_in?: boolean;
}

const NO_PROFILES = "no profiles; create one with 'hedge auth login --provider PROVIDER'\n";

/** `hedge auth list`: every profile from profiles.toml; reads no secret. */
export function runAuthList(options: { json: boolean }): void {
  const profiles = listProfiles(hedgeHome());
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ profiles: profiles.map(view) }, null, 2)}\n`);
    return;
  }
  if (profiles.length === 0) {
    process.stdout.write(NO_PROFILES);
    return;
  }
  const rows = profiles.map((profile) => [
    profile.name,
    profile.provider,
    profile.kind,
    profile.kind === "cli-login" ? "home" : profile.store,
    profile.active ? "*" : "",
    profile.region ?? "",
    profile.labels.join(","),
  ]);
  const header = ["name", "provider", "kind", "store", "active", "region", "labels"];
  process.stdout.write(`${table(header, rows).join("\n")}\n`);
}

function view(profile: Profile): ProfileView {
  return {
    name: profile.name,
    provider: profile.provider,
    kind: profile.kind,
    store: profile.store,
    active: profile.active,
    region: profile.region ?? null,
    labels: profile.labels,
    ...(profile.home ? { home: profile.home } : {}),
    ...(profile.url ? { url: profile.url } : {}),
    created_at: profile.created_at,
    last_used_at: profile.last_used_at ?? null,
  };
}

/** `hedge auth status [NAME]`: profiles with their masked key, or their vendor CLI home. */
export async function runAuthStatus(
  name: string | undefined,
  options: { json: boolean },
): Promise<void> {
  const home = hedgeHome();
  const profiles = name ? [getProfile(home, name)] : listProfiles(home);
  const views = await Promise.all(profiles.map((profile) => statusOf(home, profile)));
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ profiles: views }, null, 2)}\n`);
    return;
  }
  if (views.length === 0) {
    process.stdout.write(NO_PROFILES);
    return;
  }
  process.stdout.write(`${views.map(renderStatus).join("\n")}\n`);
}

function renderStatus(profile: ProfileView): string {
  const fields: [string, string | undefined][] = [
    ["key", profile.key],
    ["url", profile.url],
    ["home", profile.home],
    ["logged in", profile.logged_in === undefined ? undefined : profile.logged_in ? "yes" : "no"],
    ["store", profile.kind === "cli-login" ? undefined : profile.store],
    ["region", profile.region ?? undefined],
    ["labels", profile.labels.length ? profile.labels.join(", ") : undefined],
    ["created", profile.created_at],
    ["last used", profile.last_used_at ?? undefined],
  ];
  const lines = [
    `${profile.name}${profile.active ? " (active)" : ""}: ${profile.provider} ${profile.kind}`,
  ];
  for (const [label, value] of fields) {
    if (value !== undefined) lines.push(`  ${label.padEnd(10)} ${value}`);
  }
  return lines.join("\n");
}

async function statusOf(home: string, profile: Profile): Promise<ProfileView> {
  const shown = view(profile);
  if (profile.kind === "cli-login") {
    const vendor = CLI_LOGIN_VENDORS[profile.provider];
    return {
      ...shown,
      logged_in: vendor && profile.home ? hasLoginFile(vendor, profile.home) : false,
    };
  }
  try {
    const secret = await readProfileSecret(home, profile);
    return {
      ...shown,
      key: secret === undefined ? `missing from the ${profile.store} store` : maskSecret(secret),
    };
  } catch (error) {
    // Store errors name the store and the reason, never the secret.
    return {
      ...shown,
      key: `unreadable: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}
