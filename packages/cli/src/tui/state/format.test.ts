import { describe, expect, it } from "vitest";
import { describeApproval, toolSummary } from "./describe.js";
import { formatCost, formatDuration, formatElapsed, formatTokens, shortModel } from "./format.js";

describe("formats", () => {
  it("says elapsed times and run times the way the panels show them", () => {
    expect([4_000, 65_000, 720_000, 7_380_000].map(formatElapsed)).toEqual([
      "4 s",
      "1 m 05 s",
      "12 m",
      "2 h 03 m",
    ]);
    expect([400, 12_300, 125_000].map(formatDuration)).toEqual(["0.4 s", "12.3 s", "2 m 05 s"]);
  });

  it("shortens token counts and dollars", () => {
    expect([950, 1_200, 41_230, 1_300_000].map(formatTokens)).toEqual([
      "950",
      "1.2k",
      "41.2k",
      "1.3M",
    ]);
    expect([0.84, 12.4, 0.004, 0].map(formatCost)).toEqual(["$0.84", "$12.40", "<$0.01", "$0.00"]);
  });

  it("drops the provider from a model name", () => {
    expect(shortModel("anthropic/claude-sonnet-4-5")).toBe("claude-sonnet-4-5");
    expect(shortModel("gpt-5-codex")).toBe("gpt-5-codex");
  });
});

describe("describe", () => {
  it("names a tool call by its main argument", () => {
    expect(toolSummary({ path: "src/a.ts", limit: 20 })).toBe("src/a.ts");
    expect(toolSummary({ command: ["rg", "-n", "todo"] })).toBe("rg -n todo");
    expect(toolSummary({ depth: 2 })).toBe('{"depth":2}');
    expect(toolSummary("x".repeat(400))).toHaveLength(160);
  });

  it("names an approval by its command or its files", () => {
    expect(
      describeApproval({
        kind: "exec",
        command: ["git", "push"],
        cwd: "/r",
        reason: "r",
        sandboxed: true,
      }),
    ).toBe("git push");
    expect(
      describeApproval({
        kind: "patch",
        reason: "r",
        changes: ["a.ts", "b.ts", "c.ts", "d.ts"].map((path) => ({
          path,
          kind: "update" as const,
        })),
      }),
    ).toBe("edit a.ts, b.ts and 2 more");
  });
});
