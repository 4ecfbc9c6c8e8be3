import { z } from "zod";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ThreadItem } from "../agent/items.js";
import { createToolHost } from "./host.js";
import { ToolRegistry } from "./registry.js";
import { shellTool } from "./shell.js";
import { makeTempDir, removeDir } from "./test-support.js";
import { defineTool, toolError } from "./tool.js";

const KEY = "sk-host-test-8c2e5a1f";
let workspace: string;
beforeEach(async () => {
  workspace = await makeTempDir({ "notes.txt": `key=${KEY}\n` });
});
afterEach(() => removeDir(workspace));

/** A tool whose output or error message holds the key. */
const leakyTool = defineTool({
  name: "leaky",
  description: "leaky",
  parameters: z.strictObject({ fail: z.boolean() }),
  execute: (params) => {
    const text = `the key is ${KEY}`;
    return Promise.resolve(params.fail ? toolError("failed", text) : { ok: true, output: text });
  },
});

function host() {
  return createToolHost({
    workspace,
    cwd: workspace,
    writableRoots: [],
    sandboxMode: "workspace-write",
    network: false,
    approvalPolicy: "never",
    approve: () => Promise.resolve({ type: "deny" }),
    registry: new ToolRegistry([leakyTool, shellTool]),
    secrets: [KEY],
  });
}

async function call(name: string, args: unknown) {
  const items: ThreadItem[] = [];
  let counter = 0;
  const outcome = await host().run(
    { id: "call_1", name, arguments: JSON.stringify(args) },
    (_phase, item) => items.push(item),
    () => `item_${counter++}`,
    new AbortController().signal,
  );
  return { outcome, items: JSON.stringify(items) };
}

describe("createToolHost redacts the secrets it was given", () => {
  it("from results and errors, before the model and the events see them", async () => {
    for (const fail of [false, true]) {
      const { outcome, items } = await call("leaky", { fail });
      expect(outcome.content).toContain("the key is [redacted]");
      expect(outcome.content + items).not.toContain(KEY);
    }
  });

  it("from streamed command output and the completed item", async () => {
    const { outcome, items } = await call("shell", { command: ["cat", "notes.txt"] });
    expect(outcome.content).toContain("key=[redacted]");
    expect(items).toContain("key=[redacted]");
    expect(outcome.content + items).not.toContain(KEY);
  });
});
