import { maskUrlCredentials } from "@hedge/auth";
import { hedgeHome, type GlobalOptions } from "../context.js";
import { EXIT } from "../exit-codes.js";
import { paint } from "../terminal.js";
import {
  checkConfig,
  checkHome,
  checkKeychain,
  checkNode,
  checkProfiles,
  checkProviders,
  checkSandbox,
  type Check,
  type ProviderRow,
} from "./doctor-checks.js";

/** `hedge doctor`: a checklist of this machine and hedge's setup. No hosted network call. */
export async function runDoctor(globals: GlobalOptions, options: { json: boolean }): Promise<void> {
  const home = hedgeHome();
  const config = checkConfig(home, process.cwd(), globals.configOverrides);
  const profiles = checkProfiles(home);
  const providers = checkProviders(config.loaded, profiles.profiles);
  const checks: Check[] = [
    checkNode(),
    checkHome(home),
    config.check,
    await checkKeychain(config.loaded?.config.credentials_store),
    await checkSandbox(),
    profiles.check,
    providers.check,
  ];
  const ok = checks.every((check) => check.status !== "fail");
  const report = options.json
    ? `${JSON.stringify({ ok, home, checks, providers: providers.rows }, null, 2)}\n`
    : renderChecklist(checks, providers.rows);
  // Any URL doctor prints (a provider's base_url, a store URL in a config error) may carry a
  // password or a `?key=`: masked in the whole report, whichever check it came from.
  process.stdout.write(maskUrlCredentials(report));
  if (!ok) process.exitCode = EXIT.failed;
}

const MARK = { ok: paint.green("✓"), warn: paint.yellow("!"), fail: paint.red("✗") } as const;

function renderChecklist(checks: readonly Check[], rows: readonly ProviderRow[]): string {
  const lines: string[] = [];
  for (const check of checks) {
    lines.push(`${MARK[check.status]} ${check.id.padEnd(9)} ${check.summary}`);
    if (check.hint) lines.push(`  ${" ".repeat(9)} ${paint.dim(`→ ${check.hint}`)}`);
    if (check.id === "providers") {
      for (const row of rows) {
        const state = row.allowed
          ? paint.green("allowed")
          : paint.red(`denied: ${row.denied_by ?? ""}`);
        lines.push(
          `  ${" ".repeat(9)} ${row.id.padEnd(12)} ${row.class.padEnd(6)} ${row.region.padEnd(6)} ${row.base_url}  key: ${row.credential}  ${state}`,
        );
      }
    }
  }
  const failed = checks.filter((check) => check.status === "fail").length;
  const warned = checks.filter((check) => check.status === "warn").length;
  lines.push("");
  lines.push(
    failed
      ? paint.red(`${failed} check(s) failed, ${warned} warning(s)`)
      : `all checks passed${warned ? `, ${warned} warning(s)` : ""}`,
  );
  return `${lines.join("\n")}\n`;
}
