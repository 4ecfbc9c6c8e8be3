import { z } from "zod";
import { describe, expect, it } from "vitest";
import { createDefaultToolRegistry } from "./default-tools.js";
import { ToolRegistry } from "./registry.js";
import { makeContext } from "./test-support.js";
import { defineTool } from "./tool.js";

const context = makeContext("/nonexistent-workspace");

describe("ToolRegistry", () => {
  it("gives the model OpenAI-style JSON Schemas derived from the zod parameters", () => {
    const definitions = createDefaultToolRegistry().definitions();
    expect(definitions.map((definition) => definition.name)).toEqual([
      "shell",
      "apply_patch",
      "read_file",
      "list_dir",
      "grep",
      "update_plan",
    ]);
    for (const definition of definitions) {
      expect(definition.parameters).toMatchObject({ type: "object", additionalProperties: false });
      expect(definition.parameters).toHaveProperty("properties");
      expect(definition.parameters).not.toHaveProperty("$schema");
      expect(definition.description.length).toBeGreaterThan(20);
    }
    const shell = definitions[0]?.parameters;
    expect(shell).toMatchObject({
      required: ["command"],
      properties: {
        command: { type: "array", items: { type: "string" } },
        timeout_ms: { type: "integer", exclusiveMinimum: 0 },
        with_escalated_permissions: { type: "boolean" },
      },
    });
    expect(JSON.stringify(shell)).not.toContain(String(Number.MAX_SAFE_INTEGER));
    expect(definitions[5]?.parameters).toMatchObject({
      required: ["plan"],
      properties: {
        plan: {
          items: {
            type: "object",
            additionalProperties: false,
            properties: { status: { enum: ["pending", "in_progress", "completed"] } },
          },
        },
      },
    });
  });

  it("returns unknown_tool for a tool that does not exist", async () => {
    const result = await createDefaultToolRegistry().call("rm_rf", "{}", context);
    expect(result).toEqual({
      ok: false,
      error: {
        type: "unknown_tool",
        message:
          'there is no tool named "rm_rf"; available tools: shell, apply_patch, read_file, list_dir, grep, update_plan',
      },
    });
  });

  it("returns invalid_arguments for malformed JSON", async () => {
    const result = await createDefaultToolRegistry().call("shell", '{"command": ["ls"', context);
    expect(result).toMatchObject({ ok: false, error: { type: "invalid_arguments" } });
    expect(!result.ok && result.error.message).toMatch(/^shell: arguments are not valid JSON \(/);
  });

  it("returns invalid_arguments naming each wrong field and what was expected", async () => {
    const registry = createDefaultToolRegistry();
    expect(
      await registry.call("shell", '{"command": "ls -la", "timeout_ms": -5}', context),
    ).toEqual({
      ok: false,
      error: {
        type: "invalid_arguments",
        message:
          "shell: command: expected array, received string; timeout_ms: Too small: expected number to be >0",
      },
    });
    expect(
      await registry.call("update_plan", '{"plan": [{"step": "x", "status": "done"}]}', context),
    ).toMatchObject({
      error: {
        message: expect.stringContaining(
          'update_plan: plan.0.status: Invalid option: expected one of "pending"|"in_progress"|"completed"',
        ) as string,
      },
    });
    expect(
      await registry.call("read_file", '{"path": "a", "colour": "red"}', context),
    ).toMatchObject({
      error: {
        type: "invalid_arguments",
        message: 'read_file: arguments: Unrecognized key: "colour"',
      },
    });
  });

  it("treats null optional fields as omitted (strict function calling sends them)", async () => {
    const echo = defineTool({
      name: "echo",
      description: "echo",
      parameters: z.strictObject({ text: z.string(), suffix: z.string().optional() }),
      execute: (params) =>
        Promise.resolve({ ok: true, output: params.text + (params.suffix ?? "") }),
    });
    const registry = new ToolRegistry([echo]);
    expect(await registry.call("echo", '{"text": "hi", "suffix": null}', context)).toEqual({
      ok: true,
      output: "hi",
    });
  });

  it("turns a tool that throws into data instead of ending the turn", async () => {
    const broken = defineTool({
      name: "broken",
      description: "throws",
      parameters: z.strictObject({}),
      execute: () => Promise.reject(new Error("disk on fire")),
    });
    expect(await new ToolRegistry([broken]).call("broken", "", context)).toEqual({
      ok: false,
      error: { type: "tool_failed", message: "broken failed unexpectedly: disk on fire" },
    });
  });
});
