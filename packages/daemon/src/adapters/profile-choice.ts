import type { ProfileUsageView, UsageReportView } from "@hedge/model-spec";
import type { LoopSpec } from "../ledger/types.js";

/** The profile a run is started under, and why (recorded on the run). */
export interface ProfileChoice {
  /** null: no `hedge auth exec` wrapper (the CLI's own login, or hedge's/the gateway's routing). */
  profile: string | null;
  reason: string | null;
}

/** hedge profile providers whose logins each vendor CLI can run under (`hedge auth exec`). */
const VENDOR_PROVIDERS = {
  codex: ["codex", "openai"],
  claude: ["claude-code", "anthropic"],
  gemini: ["gemini", "google"],
} as const;

function coolingDown(profile: ProfileUsageView, now: number): boolean {
  return profile.cooldown !== null && Date.parse(profile.cooldown.until) > now;
}

const percent = (share: number): string => `${Math.round(share * 100)}%`;

/**
 * Picks the profile a run starts under: `--profile` always wins; hedge and `--via-gateway` runs
 * leave the choice to hedge's routing (per request); a vendor CLI gets the logged-in profile of
 * its vendor with the most headroom that is not cooling down, read from hedge's usage view at
 * run start. Without one, the CLI runs with its own login, and the reason says so.
 */
export async function chooseProfile(
  loop: Pick<LoopSpec, "adapter" | "profile" | "viaGateway">,
  usage: (() => Promise<UsageReportView>) | undefined,
  now: number,
): Promise<ProfileChoice> {
  if (loop.profile) return { profile: loop.profile, reason: "--profile" };
  if (loop.adapter === "command") return { profile: null, reason: null };
  if (loop.adapter === "hedge") {
    return { profile: null, reason: "hedge routes each request to the profile with headroom" };
  }
  if (loop.viaGateway) {
    return {
      profile: null,
      reason: "via the gateway: each request goes to the profile with headroom",
    };
  }
  const providers: readonly string[] = VENDOR_PROVIDERS[loop.adapter];
  const own = `ran with ${loop.adapter}'s own login`;
  if (!usage) return { profile: null, reason: `no usage view: ${own}` };
  let report: UsageReportView;
  try {
    report = await usage();
  } catch (error) {
    const message = (error as Error).message.split("\n")[0]?.slice(0, 120) ?? "";
    return { profile: null, reason: `usage unavailable (${message}): ${own}` };
  }
  const candidates = report.profiles.filter(
    (profile) => providers.includes(profile.provider) && profile.kind !== "gateway",
  );
  if (candidates.length === 0) {
    return { profile: null, reason: `no hedge profile for ${loop.adapter}: ${own}` };
  }
  const ready = candidates.filter((profile) => !coolingDown(profile, now));
  const cooling = candidates.filter((profile) => coolingDown(profile, now));
  const skipped = cooling.map((p) => `${p.profile} cooling down until ${p.cooldown?.until ?? "?"}`);
  let best: ProfileUsageView | undefined;
  for (const profile of ready) if (!best || profile.left > best.left) best = profile;
  if (!best) {
    return {
      profile: null,
      reason: `every ${loop.adapter} profile is cooling down (${skipped.join("; ")}): ${own}`,
    };
  }
  const others = ready
    .filter((profile) => profile !== best)
    .map((profile) => `${profile.profile} ${percent(profile.left)}`);
  const compared = [...others, ...skipped];
  return {
    profile: best.profile,
    reason: `most headroom: ${percent(best.left)} left${compared.length ? ` (${compared.join(", ")})` : ""}`,
  };
}
