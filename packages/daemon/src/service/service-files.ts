import { join } from "node:path";

/** What a service file starts: absolute node, absolute hedge.js, the home and PATH at install. */
export interface ServiceSpec {
  node: string;
  hedgeScript: string;
  home: string;
  path: string;
}

/** systemd's quoting for one ExecStart word (spaces, quotes, backslashes, `%` and `$`). */
function systemdWord(word: string): string {
  const escaped = word.replace(/%/g, "%%").replace(/\$/g, "$$$$");
  return /[\s"'\\]/.test(escaped)
    ? `"${escaped.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`
    : escaped;
}

function systemdEnv(name: string, value: string): string {
  return `Environment="${name}=${value.replace(/%/g, "%%").replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** `~/.config/systemd/user/hedge-daemon.service`: restarted on failure, started with the user manager. */
export function systemdUnit(spec: ServiceSpec): string {
  return [
    "[Unit]",
    "Description=hedge loops daemon",
    "",
    "[Service]",
    "Type=simple",
    `ExecStart=${[spec.node, spec.hedgeScript, "daemon", "run"].map(systemdWord).join(" ")}`,
    systemdEnv("HEDGE_HOME", spec.home),
    systemdEnv("PATH", spec.path),
    "Restart=on-failure",
    "RestartSec=5",
    "TimeoutStopSec=30",
    "",
    "[Install]",
    "WantedBy=default.target",
    "",
  ].join("\n");
}

function xml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

/** The macOS LaunchAgent label. */
export const LAUNCH_AGENT_LABEL = "dev.hedge.daemon";

/** `~/Library/LaunchAgents/dev.hedge.daemon.plist`: no shell, kept alive unless it exits cleanly. */
export function launchAgentPlist(spec: ServiceSpec): string {
  const strings = (values: string[]): string =>
    values.map((value) => `    <string>${xml(value)}</string>`).join("\n");
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>Label</key>
  <string>${LAUNCH_AGENT_LABEL}</string>
  <key>ProgramArguments</key>
  <array>
${strings([spec.node, spec.hedgeScript, "daemon", "run"])}
  </array>
  <key>RunAtLoad</key>
  <true/>
  <key>KeepAlive</key>
  <dict>
    <key>SuccessfulExit</key>
    <false/>
  </dict>
  <key>EnvironmentVariables</key>
  <dict>
    <key>HEDGE_HOME</key>
    <string>${xml(spec.home)}</string>
    <key>PATH</key>
    <string>${xml(spec.path)}</string>
  </dict>
  <key>StandardOutPath</key>
  <string>${xml(join(spec.home, "logs", "daemon.out.log"))}</string>
  <key>StandardErrorPath</key>
  <string>${xml(join(spec.home, "logs", "daemon.err.log"))}</string>
  <key>ProcessType</key>
  <string>Background</string>
</dict>
</plist>
`;
}

/** Where the service file goes for this platform, under the user's home. */
export function serviceFilePath(platform: NodeJS.Platform, userHome: string): string {
  return platform === "darwin"
    ? join(userHome, "Library", "LaunchAgents", `${LAUNCH_AGENT_LABEL}.plist`)
    : join(userHome, ".config", "systemd", "user", "hedge-daemon.service");
}
