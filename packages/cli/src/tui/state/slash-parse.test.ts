import { describe, expect, it } from "vitest";
import { SLASH_COMMANDS } from "./slash-commands.js";
import {
  matchCommands,
  parseSlash,
  resolveSlash,
  slashMessage,
  slashQuery,
} from "./slash-parse.js";

describe("slash commands", () => {
  it("the commands the TUI carries out are registered, once each", () => {
    const names = SLASH_COMMANDS.flatMap((item) => [item.name, ...item.aliases]);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual([
      "model",
      "profile",
      "approvals",
      "status",
      "ask",
      "diff",
      "compact",
      "new",
      "resume",
      "init",
      "usage",
      "route",
      "mcp",
      "quit",
      "exit",
    ]);
  });

  it("/profile and /compact wait for the turn to end", () => {
    for (const name of ["profile", "compact"])
      expect(resolveSlash({ name, args: "" }, true)).toMatchObject({ type: "busy" });
  });

  it("parses a command line; a path is a message", () => {
    expect(parseSlash("/ask why does\nthis fail?")).toEqual({
      name: "ask",
      args: "why does\nthis fail?",
    });
    expect(parseSlash("/status")).toEqual({ name: "status", args: "" });
    expect(parseSlash("/usr/bin/env is missing")).toBeUndefined();
    expect(parseSlash("fix /status")).toBeUndefined();
  });

  it("the popup query is the name typed so far, while the cursor is in it", () => {
    expect(slashQuery("/sta", 4)).toBe("sta");
    expect(slashQuery("/", 1)).toBe("");
    expect(slashQuery("/ask why", 8)).toBeUndefined();
    expect(slashQuery("hello", 5)).toBeUndefined();
  });

  it("prefix matches first, then letters in order; busy commands greyed out while a turn runs", () => {
    expect(matchCommands("s", false).map(({ command }) => command.name)).toEqual([
      "status",
      "approvals",
      "ask",
      "resume",
      "usage",
    ]);
    expect(matchCommands("ex", false).map(({ command }) => command.name)).toEqual(["quit"]);
    const running = matchCommands("", true);
    expect(running.find(({ command }) => command.name === "init")?.enabled).toBe(false);
    expect(running.find(({ command }) => command.name === "status")?.enabled).toBe(true);
  });

  it("unknown names get a suggestion; a command that must wait says so", () => {
    const unknown = resolveSlash({ name: "stauts", args: "" }, false);
    expect(unknown).toEqual({ type: "unknown", name: "stauts", suggestion: "status" });
    expect(slashMessage(unknown as Exclude<typeof unknown, { type: "run" }>)).toBe(
      "Unknown command /stauts. Did you mean /status?",
    );
    expect(resolveSlash({ name: "zzzzzz", args: "" }, false)).toMatchObject({
      suggestion: undefined,
    });
    const busy = resolveSlash({ name: "init", args: "" }, true);
    expect(busy.type).toBe("busy");
    expect(resolveSlash({ name: "exit", args: "" }, true)).toMatchObject({
      type: "run",
      command: { name: "quit" },
    });
  });
});
