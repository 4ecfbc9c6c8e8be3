import { describe, expect, it } from "vitest";
import { launchAgentPlist, serviceFilePath, systemdUnit } from "./service-files.js";

const spec = {
  node: "/usr/local/bin/node",
  hedgeScript: "/opt/hedge dir/hedge.js",
  home: "/home/ann/.hedge",
  path: "/usr/local/bin:/usr/bin:/bin",
};

describe("service files (tested by content; no systemctl or launchctl here)", () => {
  it("the systemd user unit restarts on failure, runs hedge daemon run, and starts with the user manager", () => {
    expect(systemdUnit(spec)).toMatchInlineSnapshot(`
      "[Unit]
      Description=hedge loops daemon

      [Service]
      Type=simple
      ExecStart=/usr/local/bin/node "/opt/hedge dir/hedge.js" daemon run
      Environment="HEDGE_HOME=/home/ann/.hedge"
      Environment="PATH=/usr/local/bin:/usr/bin:/bin"
      Restart=on-failure
      RestartSec=5
      TimeoutStopSec=30

      [Install]
      WantedBy=default.target
      "
    `);
  });

  it("systemd specifiers and variables in paths are escaped, not expanded", () => {
    const unit = systemdUnit({ ...spec, hedgeScript: "/x/%h/$HOME/hedge.js" });
    expect(unit).toContain("ExecStart=/usr/local/bin/node /x/%%h/$$HOME/hedge.js daemon run");
  });

  it("the LaunchAgent runs node directly (no shell), keeps it alive unless it exits cleanly, logs under the home", () => {
    const plist = launchAgentPlist({ ...spec, home: "/Users/ann/.hedge & <co>" });
    expect(plist).toContain("<string>dev.hedge.daemon</string>");
    expect(plist).toContain(
      "<array>\n    <string>/usr/local/bin/node</string>\n    <string>/opt/hedge dir/hedge.js</string>\n    <string>daemon</string>\n    <string>run</string>\n  </array>",
    );
    expect(plist).toContain("<key>SuccessfulExit</key>\n    <false/>");
    expect(plist).toContain(
      "<string>/Users/ann/.hedge &amp; &lt;co&gt;/logs/daemon.err.log</string>",
    );
    expect(plist).not.toContain("/bin/sh");
  });

  it("goes where each platform's user manager looks", () => {
    expect(serviceFilePath("linux", "/home/ann")).toBe(
      "/home/ann/.config/systemd/user/hedge-daemon.service",
    );
    expect(serviceFilePath("darwin", "/Users/ann")).toBe(
      "/Users/ann/Library/LaunchAgents/dev.hedge.daemon.plist",
    );
  });
});
