import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { probeKeychain } from "@hedge/auth";
import { describe, expect, it } from "vitest";
import { fileHome, hedge, home, login, uniqueName } from "./auth-harness.js";
import type { HedgeRun } from "./run-hedge.js";

const keychain = await probeKeychain();

/** Every file under `root`, with its content. */
function filesUnder(root: string): { path: string; text: string }[] {
  return readdirSync(root, { recursive: true, encoding: "utf8" })
    .map((relative) => join(root, relative))
    .filter((path) => statSync(path).isFile())
    .map((path) => ({ path, text: readFileSync(path, "utf8") }));
}

async function everyOutput(
  hedgeHome: string,
  names: { key: string; gateway: string },
): Promise<HedgeRun[]> {
  // A command that prints only variable names, so the secret may not appear in its output.
  const names_only = "process.stdout.write(Object.keys(process.env).sort().join(' '))";
  const runs: HedgeRun[] = [];
  for (const args of [
    ["auth", "list"],
    ["auth", "list", "--json"],
    ["auth", "status"],
    ["auth", "status", "--json"],
    ["auth", "status", names.key],
    ["auth", "switch", names.key],
    ["auth", "exec", names.key, "--", process.execPath, "-e", names_only],
    ["auth", "exec", names.gateway, "--", process.execPath, "-e", names_only],
    ["auth", "exec", names.key, "--", process.execPath, "-e", "process.exit(3)"],
    ["config", "show"],
    ["config", "show", "--json"],
    ["doctor"],
    ["doctor", "--json"],
    ["route", "explain", "anthropic/claude-haiku-4-5"],
    ["route", "explain", "anthropic/claude-haiku-4-5", "--json"],
    ["auth", "import", "--from-env", "--json"],
    ["auth", "login", "--provider", "anthropic", "--profile", names.key],
  ]) {
    runs.push(await hedge(hedgeHome, args, { env: { HEDGE_DEBUG: "1" }, input: "" }));
  }
  return runs;
}

describe("secrets never appear in output", () => {
  it.each([
    ["file", () => fileHome()],
    ["keyring", () => home()],
  ])(
    "of login, list, status, switch, exec, import, config show, doctor, route explain (%s store)",
    async (store, makeHome) => {
      if (store === "keyring" && !keychain.reachable) return;
      const hedgeHome = makeHome();
      const names = { key: uniqueName("leak"), gateway: uniqueName("gw") };
      const secret = `sk-ant-${uniqueName("s3cr3t")}-tail`;
      const gatewayKey = `gk-${uniqueName("gwsecret")}-tail`;
      const runs = [
        await login(hedgeHome, ["--provider", "anthropic", "--profile", names.key], secret),
        await login(
          hedgeHome,
          ["--provider", "gateway", "--profile", names.gateway, "--url", "http://127.0.0.1:9/v1"],
          gatewayKey,
        ),
        ...(await everyOutput(hedgeHome, names)),
        // A verification that fails (nothing listens on port 9) reports without the key.
        await login(
          hedgeHome,
          [
            "--provider",
            "anthropic",
            "--profile",
            names.key,
            "--force",
            "--verify",
            "-c",
            'providers.anthropic.base_url="http://127.0.0.1:9/v1"',
          ],
          secret,
        ),
      ];
      expect(runs.at(-1)?.stderr).toContain("--verify: http://127.0.0.1:9/v1/models unreachable");
      for (const run of runs) {
        for (const needle of [secret, gatewayKey, secret.slice(7, -5), gatewayKey.slice(3, -5)]) {
          expect(run.stdout).not.toContain(needle);
          expect(run.stderr).not.toContain(needle);
        }
      }
      // Metadata files and logs under HEDGE_HOME hold no secret; only the file store may.
      for (const file of filesUnder(hedgeHome)) {
        if (file.path.endsWith(join("credentials", "credentials.json"))) continue;
        expect(file.text, file.path).not.toContain(secret);
        expect(file.text, file.path).not.toContain(gatewayKey);
      }
      for (const name of [names.key, names.gateway])
        await hedge(hedgeHome, ["auth", "logout", name, "--yes"]);
    },
  );
});
