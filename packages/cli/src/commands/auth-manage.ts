import { createInterface } from "node:readline/promises";
import { HedgeError, UsageError } from "@hedge/model-spec";
import { listProfiles, removeProfile, switchProfile } from "@hedge/auth";
import { commandContext } from "../command-context.js";
import { hedgeHome, type GlobalOptions } from "../context.js";
import { EXIT } from "../exit-codes.js";
import { policyChangeLine } from "../composition/providers.js";

/** `hedge auth switch NAME`: makes NAME the active profile of its provider's pool. */
export async function runAuthSwitch(name: string): Promise<void> {
  const { profile, previous } = await switchProfile(hedgeHome(), name);
  const was = previous && previous !== name ? ` (was ${previous})` : "";
  process.stdout.write(`${profile.name} is now the active ${profile.provider} profile${was}\n`);
}

/** `hedge auth logout NAME`: removes the secret and the metadata; asks first on a TTY. */
export async function runAuthLogout(
  globals: GlobalOptions,
  name: string,
  options: { yes: boolean },
): Promise<void> {
  const context = commandContext(globals);
  const before = listProfiles(context.home);
  const target = before.find((profile) => profile.name === name);
  if (!target) {
    throw new HedgeError("profile_not_found", `no profile named "${name}"`, {
      exitCode: EXIT.usage,
      hint: "see 'hedge auth list'",
    });
  }
  if (!options.yes) {
    if (process.stdin.isTTY !== true) {
      throw new UsageError(`logout of "${name}" needs confirmation`, {
        code: "confirmation_required",
        hint: `stdin is not a terminal: add --yes (hedge auth logout ${name} --yes)`,
      });
    }
    const prompt = createInterface({ input: process.stdin, output: process.stderr });
    const answer = await prompt.question(
      `Remove profile ${name} (${target.provider}, ${target.kind}) and its secret? [y/N] `,
    );
    prompt.close();
    if (!/^y(es)?$/i.test(answer.trim())) {
      process.stderr.write("hedge: nothing removed\n");
      process.exitCode = EXIT.failed;
      return;
    }
  }
  const removed = await removeProfile(context.home, name);
  const lines = [`removed profile ${name} (${removed.profile.provider}, ${removed.profile.kind})`];
  if (removed.newActive)
    lines.push(`${removed.newActive} is now the active ${removed.profile.provider} profile`);
  if (removed.remaining === 0 && removed.profile.kind === "api-key") {
    const change = policyChangeLine(
      context,
      removed.profile.provider,
      before,
      removed.profile.region,
      "logout",
    );
    if (change) lines.push(change);
  }
  process.stdout.write(`${lines.join("\n")}\n`);
}
