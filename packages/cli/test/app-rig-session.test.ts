// The whole app on a real thread, for what the session wires around the thread: the user's MCP
// servers (a real server-everything over stdio), `[hooks]` at each turn's end.
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { AppRig, type AppRigOptions } from "./app-rig.js";

const EVERYTHING = fileURLToPath(
  new URL(
    "../../core/node_modules/@modelcontextprotocol/server-everything/dist/index.js",
    import.meta.url,
  ),
);

const rigs: AppRig[] = [];
afterEach(async () => {
  for (const rig of rigs.splice(0)) await rig.stop();
});

async function start(options: AppRigOptions): Promise<AppRig> {
  const rig = await AppRig.start(options);
  rigs.push(rig);
  return rig;
}

const idle = (rig: AppRig) => () => rig.controller.store.getState().phase === "idle";

const everything = {
  mcp_servers: { everything: { command: process.execPath, args: [EVERYTHING, "stdio"] } },
};

describe("MCP servers in the session", () => {
  it("the model calls an MCP tool: the transcript shows server/tool, its status and its folded result", async () => {
    const rig = await start({
      config: everything,
      replies: [
        {
          toolCalls: [{ name: "mcp__everything__echo", arguments: { message: "hello from mcp" } }],
        },
        { text: "echoed" },
      ],
    });
    rig.keys("echo it\r");
    await rig.waitForText(/echoed/);
    const screen = rig.text();
    expect(screen).toMatch(/✓ everything\/echo/);
    expect(screen).toMatch(/│ Echo: hello from mcp/);
    // The model got the tool's result.
    expect(JSON.stringify(rig.seen.at(-1)?.body)).toContain("Echo: hello from mcp");
  });

  it("/mcp shows each server's state and context cost; /status carries the MCP total", async () => {
    const rig = await start({
      config: {
        ...everything,
        mcp_servers: {
          ...everything.mcp_servers,
          broken: { command: "/nonexistent/mcp-server" },
        },
      },
    });
    rig.keys("/mcp\r");
    await rig.waitForText(/everything: ready · \d+ tools · [\d,]+ tokens \(\d+\.\d% of context\)/);
    expect(rig.text()).toMatch(/broken: failed/);
    expect(rig.text()).toMatch(/mcp: 1 of 2 servers ready · [\d,]+ tokens of tools/);
    rig.keys("/status\r");
    await rig.waitFor(
      () => (rig.text().match(/mcp: 1 of 2 servers ready/g) ?? []).length === 2,
      "the MCP line of /status",
    );
    expect(idle(rig)()).toBe(true);
  });
});
