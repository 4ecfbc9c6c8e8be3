import { afterEach, describe, expect, it } from "vitest";
import { makeTempDir, type TempDir } from "@hedge/testkit";
import type { McpServerManager } from "../src/mcp/server-manager.js";
import { everything, hostile, manager } from "./mcp-harness.js";
import { drain, threadRig, type ThreadRig } from "./thread-harness.js";

// The thread with MCP servers, as the TUI drives it: failed servers become a notice at the first
// turn, and mcpStatus() gives `/mcp` and `/status` each server's state and cost.

let rig: ThreadRig | undefined;
let servers: McpServerManager | undefined;
let logs: TempDir | undefined;
afterEach(async () => {
  await rig?.cleanup();
  await servers?.close();
  await logs?.cleanup();
  rig = undefined;
  servers = undefined;
});

describe("Thread with MCP servers", () => {
  it("a failed server is a notice, the others' tools are offered, mcpStatus reports both", async () => {
    logs = await makeTempDir("hedge-thread-mcp-");
    servers = await manager(
      { everything: everything(), broken: hostile("exit-at-start") },
      { logDir: logs.path },
    );
    await servers.start(new AbortController().signal);
    rig = await threadRig(() => ({ text: "ok" }), {
      config: { model_context_window: 200_000 },
      deps: { mcp: servers },
    });
    const events = await drain(rig.thread.run({ prompt: "hi" }));
    const notices = events.flatMap((event) =>
      event.type === "item.completed" && event.item.type === "notice" ? [event.item.message] : [],
    );
    expect(notices).toEqual([expect.stringMatching(/^mcp server broken failed: /)]);
    expect(rig.seen[0]?.toolNames).toContain("mcp__everything__echo");

    const status = await rig.thread.mcpStatus();
    expect(status?.servers.map(({ name, status: state }) => [name, state])).toEqual([
      ["everything", "ready"],
      ["broken", "failed"],
    ]);
    const ready = status?.servers[0];
    expect(ready?.tools).toBe(13);
    expect(ready?.tokens).toBeGreaterThan(500);
    expect(status?.executor).toEqual({
      tokens: ready?.tokens,
      budget: 20_000,
      mode: "eager",
    });
  });
});
