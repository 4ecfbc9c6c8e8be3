import { describe, expect, it } from "vitest";
import type { AgentEvent } from "@hedge/core";
import { gapBefore, layoutCell } from "../layout/cell-layout.js";
import { linesText } from "../layout/styled-text.js";
import {
  command,
  completed,
  delivered,
  delta,
  message,
  qa,
  route,
  started,
  turnCompleted,
  updated,
} from "../test-utils/events.js";
import type { Cell } from "./cells.js";
import { RETAINED_CELLS, TranscriptModel } from "./transcript-model.js";

/** Cells as the terminal shows them at `width` columns, with the blank rows between them. */
function shown(cells: readonly Cell[], width = 80, now = 0): string {
  return cells
    .map((cell, index) => {
      const gap = "\n".repeat(gapBefore(cells[index - 1], cell));
      return gap + linesText(layoutCell(cell, { width, now }));
    })
    .join("\n");
}

function feed(model: TranscriptModel, events: readonly AgentEvent[], now = 0): void {
  for (const event of events) model.apply(event, now);
}

/** Does a markdown text open a code fence it does not close? */
function hasOpenFence(markdown: string): boolean {
  const fences = markdown.split("\n").filter((line) => /^ {0,3}(```|~~~)/.test(line));
  return fences.length % 2 === 1;
}

const ANSWER = [
  "I found the bug in `parse()`.",
  "",
  "Here is the fix:",
  "",
  "```ts",
  "export function parse(input: string) {",
  "",
  "  return input.trim();",
  "}",
  "```",
  "",
  "Then run the tests:",
  "",
  "- `pnpm test`",
  "- `pnpm lint`",
  "",
].join("\n");

describe("TranscriptModel", () => {
  it("shows the user's prompt once the thread delivers it", () => {
    const model = new TranscriptModel();
    model.noteInputs([{ id: "in_1", text: "fix the failing test" }]);
    model.apply(delivered(["in_1"]), 0);
    model.noteInputs([{ id: "in_2", text: "also the lint" }]);
    model.apply(delivered(["in_2"], "tool_boundary"), 0);
    expect(shown(model.committed)).toBe("› fix the failing test\n\n↳ also the lint (steer)");
  });

  it("commits a streamed answer at blank lines outside code fences, never inside one", () => {
    const model = new TranscriptModel();
    model.apply(started(message("msg_1", "")), 0);
    const committedPieces: string[] = [];
    const words = (text: string): string => text.replace(/\s+/g, " ").trim();
    let prefix = "";
    // One character at a time: every prefix of the answer is seen once.
    for (const char of ANSWER) {
      prefix += char;
      model.apply(delta("msg_1", char), 0);
      for (const cell of model.committed.slice(committedPieces.length)) {
        if (cell.kind !== "assistant") throw new Error(`unexpected ${cell.kind} cell`);
        committedPieces.push(cell.markdown);
        expect(hasOpenFence(cell.markdown)).toBe(false);
      }
      // What is live is only the part not committed yet.
      const live = model.live();
      expect(live.length).toBeLessThanOrEqual(1);
      const liveText = live[0]?.kind === "assistant" ? live[0].markdown : "";
      expect(words(`${committedPieces.join(" ")} ${liveText}`)).toBe(words(prefix));
    }
    // The code block (with its inner blank line) was committed whole, as one piece.
    expect(committedPieces).toContain(
      "```ts\nexport function parse(input: string) {\n\n  return input.trim();\n}\n```",
    );
    model.apply(completed(message("msg_1", ANSWER)), 0);
    expect(model.live()).toEqual([]);
    const pieces = model.committed.map((cell) => (cell.kind === "assistant" ? cell.markdown : ""));
    expect(pieces.join("\n\n")).toBe(ANSWER.trim());
    // Only the first piece carries the answer's bullet.
    expect(shown(model.committed).startsWith("• I found the bug in parse().")).toBe(true);
    expect(shown(model.committed.slice(1, 2))).toBe("  Here is the fix:");
  });

  it("shows an answer that did not stream when it completes", () => {
    const model = new TranscriptModel();
    model.apply(completed(message("msg_2", "Done.\n\nAll **green**.")), 0);
    expect(shown(model.committed)).toBe("• Done.\n\n  All green.");
  });

  it("does not show an answer twice when its completion follows the stream", () => {
    const model = new TranscriptModel();
    feed(model, [delta("msg_3", "First part.\n\nSecond "), delta("msg_3", "part.")]);
    expect(model.committed).toHaveLength(1);
    expect(shown(model.live())).toBe("  Second part.");
    model.apply(completed(message("msg_3", "First part.\n\nSecond part.")), 0);
    expect(shown(model.committed)).toBe("• First part.\n\n  Second part.");
    expect(model.live()).toEqual([]);
  });

  it("collapses reasoning to its first line and a count", () => {
    const model = new TranscriptModel();
    feed(model, [
      delta("rs_1", "**Looking at the parser**\n", "reasoning"),
      delta("rs_1", "It trims too late.\nThe test expects no spaces.", "reasoning"),
    ]);
    expect(model.committed).toEqual([]);
    model.apply(
      completed({
        id: "rs_1",
        type: "reasoning",
        text: "**Looking at the parser**\nIt trims too late.\nThe test expects no spaces.",
      }),
      0,
    );
    expect(shown(model.committed)).toBe("• Thinking: Looking at the parser (+2 lines)");
  });

  it("shows a command live, then as a cell with exit code, run time and folded output", () => {
    const model = new TranscriptModel();
    model.apply(started(command("cmd_1", "pnpm test", "")), 1_000);
    model.apply(updated(command("cmd_1", "pnpm test", "RUN v4\nline 2\n")), 3_000);
    expect(model.committed).toEqual([]);
    expect(shown(model.live(), 80, 5_000)).toBe(
      "▶ Running pnpm test\n  │ RUN v4\n  │ line 2\n  └ 4 s",
    );
    const output = Array.from({ length: 20 }, (_, index) => `line ${index + 1}`).join("\n");
    model.apply(completed(command("cmd_1", "pnpm test", output, "failed", 1)), 13_300);
    expect(model.live()).toEqual([]);
    expect(shown(model.committed)).toBe(
      [
        "✗ Ran pnpm test",
        "  │ line 1",
        "  │ line 2",
        "  │ … +15 lines (Ctrl+O to expand)",
        "  │ line 18",
        "  │ line 19",
        "  │ line 20",
        "  └ exit 1 · 12.3 s",
      ].join("\n"),
    );
  });

  it("marks a command still running when the turn ends as interrupted", () => {
    const model = new TranscriptModel();
    model.apply(started(command("cmd_2", "sleep 30", "")), 0);
    model.apply({ type: "turn.interrupted", restored_ids: ["in_9"] }, 2_000);
    model.settle(2_000);
    const text = shown(model.committed);
    expect(text).toContain("✗ Interrupted sleep 30");
    expect(text).toContain("  └ interrupted · 2.0 s");
    expect(text).toContain("! Interrupted · 1 input back in the composer");
  });

  it("shows a file change with its diff, line numbers and +/- marks", () => {
    const model = new TranscriptModel();
    // Core's file_change items carry a diff per change once the runtime adds it.
    const change = {
      path: "src/a.ts",
      kind: "update" as const,
      diff: "--- a/src/a.ts\n+++ b/src/a.ts\n@@ -1,3 +1,3 @@\n const a = 1;\n-const b = 2;\n+const b = 3;\n+const c = 4;\n",
    };
    model.apply(
      completed({ id: "fc_1", type: "file_change", status: "completed", changes: [change] }),
      0,
    );
    expect(shown(model.committed)).toBe(
      [
        "• Edited src/a.ts (+2 -1)",
        "     @@ -1,3 +1,3 @@",
        "   1   const a = 1;",
        "   2 - const b = 2;",
        "   2 + const b = 3;",
        "   3 + const c = 4;",
      ].join("\n"),
    );
  });

  it("shows a file change without a diff as its verb and path", () => {
    const model = new TranscriptModel();
    model.apply(
      completed({
        id: "fc_2",
        type: "file_change",
        status: "completed",
        changes: [
          { path: "README.md", kind: "add" },
          { path: "old.txt", kind: "delete" },
        ],
      }),
      0,
    );
    expect(shown(model.committed)).toBe("• Added README.md\n• Deleted old.txt");
  });

  it("shows the plan as a checklist", () => {
    const model = new TranscriptModel();
    model.apply(
      completed({
        id: "plan_1",
        type: "todo_list",
        items: [
          { text: "Reproduce the failure", completed: true },
          { text: "Fix parse()", completed: false },
        ],
      }),
      0,
    );
    expect(shown(model.committed)).toBe(
      "• Plan 1/2 done\n  [x] Reproduce the failure\n  [ ] Fix parse()",
    );
  });

  it("shows QA verdicts as their own cells", () => {
    const model = new TranscriptModel();
    feed(model, [
      completed(qa("qa_1", "block", "the tests still fail")),
      completed(qa("qa_2", "add_tasks", "two things are missing", ["Add a test", "Update docs"])),
      completed(qa("qa_3", "pass", "")),
    ]);
    expect(shown(model.committed)).toBe(
      [
        "✗ QA blocked: the tests still fail",
        "",
        "• QA added 2 tasks",
        "  + Add a test",
        "  + Update docs",
        "  two things are missing",
        "",
        "✓ QA passed",
      ].join("\n"),
    );
  });

  it("shows each route decision on one line, and profile switches and cooldowns as notices", () => {
    const model = new TranscriptModel();
    feed(model, [
      completed(route("executor", "anthropic", "claude-sonnet-4-5", "work", "rule 'tests'")),
      completed({
        id: "ps_1",
        type: "profile_switch",
        provider: "anthropic",
        from: "work",
        to: "work2",
        reason: "cooling down after a 429 (resets 14:05)",
      }),
    ]);
    expect(shown(model.committed)).toBe(
      [
        "  executor → anthropic/claude-sonnet-4-5 · profile work · because rule 'tests'",
        "! profile anthropic: work → work2 · cooling down after a 429 (resets 14:05)",
      ].join("\n"),
    );
    // Too long a reason is cut, never wrapped: still one row at 60 columns.
    const [cell] = model.committed;
    if (!cell) throw new Error("no route cell");
    expect(layoutCell(cell, { width: 40, now: 0 })).toHaveLength(1);
  });

  it("commits finished cells only by appending, as <Static> needs", () => {
    const model = new TranscriptModel();
    const before = model.committed;
    feed(model, [
      completed(route("executor", "openai", "gpt-5-codex", null, "default")),
      delta("msg_9", "Hello.\n\nWorld"),
      turnCompleted(),
    ]);
    const after = model.committed;
    expect(after).not.toBe(before);
    expect(after.map((cell) => cell.kind)).toEqual(["route", "assistant", "assistant"]);
    // The stream was flushed when the turn completed: nothing stays live.
    expect(model.live()).toEqual([]);
  });

  it("streams a side question apart from the answer in progress, then commits it", () => {
    const model = new TranscriptModel();
    const aside = {
      id: "aside_1",
      type: "aside" as const,
      question: "why trim first?",
      text: "",
      status: "in_progress" as const,
      model: "openai/gpt-5-codex",
      profile: "work",
    };
    feed(model, [delta("msg_1", "Working on "), started(aside), delta("aside_1", "Because the ")]);
    // Both are live; the main answer was not cut short by the aside.
    expect(model.committed).toEqual([]);
    expect(shown(model.live())).toBe(
      [
        "• Working on",
        "",
        "┃ aside · gpt-5-codex · work",
        "┃ › why trim first?",
        "┃ Because the",
      ].join("\n"),
    );
    feed(model, [
      delta("aside_1", "split keeps the padding."),
      completed({
        ...aside,
        status: "completed",
        text: "Because the split keeps the padding.",
        cached_input_tokens: 12_400,
      }),
    ]);
    expect(shown(model.committed)).toBe(
      [
        "┃ aside · gpt-5-codex · work · 12.4k cached",
        "┃ › why trim first?",
        "┃ Because the split keeps the padding.",
      ].join("\n"),
    );
    expect(shown(model.live())).toBe("• Working on");
  });

  it("records how each approval was answered", () => {
    const model = new TranscriptModel();
    const request = {
      kind: "exec" as const,
      command: ["rm", "-rf", "build"],
      cwd: "/repo",
      reason: "outside the sandbox",
      sandboxed: false,
    };
    feed(model, [
      { type: "approval.requested", request_id: "ap_1", request },
      {
        type: "approval.resolved",
        request_id: "ap_1",
        answer: { type: "deny_with_note", note: "use make clean" },
        by: "user",
      },
      { type: "approval.requested", request_id: "ap_2", request },
      {
        type: "approval.resolved",
        request_id: "ap_2",
        answer: { type: "approve_session" },
        by: "session",
      },
    ]);
    expect(shown(model.committed)).toBe(
      [
        "✗ denied: use make clean · rm -rf build",
        "✓ approved for this session (approved earlier this session) · rm -rf build",
      ].join("\n"),
    );
  });

  it("shows a failed turn as an error cell", () => {
    const model = new TranscriptModel();
    model.apply({ type: "turn.failed", error: { message: "upstream closed the stream" } }, 0);
    expect(shown(model.committed)).toBe("✗ Turn failed: upstream closed the stream");
  });

  it("cleans escape sequences out of everything the model or a tool wrote", () => {
    const model = new TranscriptModel();
    feed(model, [
      completed(message("msg_x", "hi\x1b]52;c;ZXZpbA==\x07 there\x1b[2J")),
      completed(command("cmd_x", "echo \x1b]0;pwned\x07", "\x1b[31mred\x1b[0m", "completed", 0)),
    ]);
    const text = shown(model.committed);
    expect(text).not.toContain("\x1b");
    expect(text).toContain("hi there");
    expect(text).toContain("│ red");
  });

  it("a long session holds a bounded number of cells; the count before them grows instead", () => {
    const model = new TranscriptModel();
    const turns = 1_000;
    for (let turn = 0; turn < turns; turn += 1) {
      model.noteInputs([{ id: `i${turn}`, text: `prompt ${turn}` }]);
      feed(model, [
        delivered([`i${turn}`]),
        completed(message(`m${turn}`, `answer ${turn}`)),
        turnCompleted(),
      ]);
      expect(model.committed.length).toBeLessThanOrEqual(RETAINED_CELLS * 2);
    }
    expect(model.committedBefore + model.committed.length).toBe(turns * 2);
    expect(model.committed.at(-1)).toMatchObject({ kind: "assistant", markdown: "answer 999" });
  });
});
