import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { homedir, userInfo } from "node:os";
import { dirname } from "node:path";
import { writeFileAtomic } from "@hedge/auth";
import { HedgeError } from "@hedge/model-spec";
import { LAUNCH_AGENT_LABEL, launchAgentPlist, serviceFilePath, systemdUnit } from "@hedge/daemon";
import { hedgeHome } from "../context.js";

function run(program: string, args: string[]): { ok: boolean; output: string } {
  try {
    return {
      ok: true,
      output: execFileSync(program, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }),
    };
  } catch (error) {
    const stderr = (error as { stderr?: unknown }).stderr;
    return {
      ok: false,
      output: typeof stderr === "string" && stderr ? stderr : (error as Error).message,
    };
  }
}

/**
 * `hedge daemon install`: writes the systemd user unit (Linux) or LaunchAgent (macOS) that runs
 * `hedge daemon run`, then enables and starts it (unless `--no-start`).
 */
export function runDaemonInstall(options: { start: boolean }): void {
  const script = process.argv[1];
  if (!script) throw new HedgeError("no_script", "cannot tell where hedge is installed");
  const spec = {
    node: process.execPath,
    hedgeScript: script,
    home: hedgeHome(),
    path: process.env["PATH"] ?? "/usr/bin:/bin",
  };
  const file = serviceFilePath(process.platform, homedir());
  const text = process.platform === "darwin" ? launchAgentPlist(spec) : systemdUnit(spec);
  mkdirSync(dirname(file), { recursive: true });
  writeFileAtomic(file, text, 0o644);
  process.stdout.write(`wrote ${file}\n`);
  if (!options.start) return;
  if (process.platform === "darwin") {
    const result = run("launchctl", ["bootstrap", `gui/${process.getuid?.() ?? 0}`, file]);
    if (!result.ok)
      throw new HedgeError(
        "service_failed",
        `launchctl bootstrap failed: ${result.output.trim()}`,
        { hint: "run it yourself, or hedge daemon start" },
      );
    process.stdout.write(`loaded ${LAUNCH_AGENT_LABEL}\n`);
    return;
  }
  for (const args of [
    ["--user", "daemon-reload"],
    ["--user", "enable", "--now", "hedge-daemon.service"],
  ]) {
    const result = run("systemctl", args);
    if (!result.ok) {
      throw new HedgeError(
        "service_failed",
        `systemctl ${args.join(" ")} failed: ${result.output.trim().split("\n")[0] ?? ""}`,
        {
          hint: "is a systemd user manager running here? hedge daemon start runs the daemon without one",
        },
      );
    }
  }
  process.stdout.write("enabled and started hedge-daemon.service\n");
  const linger = run("loginctl", ["show-user", userInfo().username, "-p", "Linger"]);
  if (linger.output.trim() === "Linger=no") {
    process.stdout.write(
      `loops stop when you log out; run \`loginctl enable-linger ${userInfo().username}\` to keep them running\n`,
    );
  }
}

/** `hedge daemon uninstall`: stops and removes what install wrote. */
export function runDaemonUninstall(options: { stop: boolean }): void {
  const file = serviceFilePath(process.platform, homedir());
  if (!existsSync(file)) {
    process.stdout.write(`nothing to remove: ${file} does not exist\n`);
    return;
  }
  if (options.stop) {
    if (process.platform === "darwin")
      run("launchctl", ["bootout", `gui/${process.getuid?.() ?? 0}/${LAUNCH_AGENT_LABEL}`]);
    else run("systemctl", ["--user", "disable", "--now", "hedge-daemon.service"]);
  }
  rmSync(file, { force: true });
  if (options.stop && process.platform !== "darwin") run("systemctl", ["--user", "daemon-reload"]);
  process.stdout.write(`removed ${file}\n`);
}
