import { describe, expect, it } from "vitest";
import type { Cell } from "../state/cells.js";
import { COLOUR_SGR, renderAt } from "../test-utils/render.js";
import { CellView } from "./cell-view.js";
import { DiffView } from "./diff-view.js";
import { MarkdownView } from "./markdown-view.js";

/** The SGR magenta foreground (the theme's syntax keyword colour). */
const MAGENTA = "\x1b[35m";

describe("<MarkdownView>", () => {
  const markdown = [
    "# Title",
    "",
    "1. first **bold** and `code`",
    "2. second, see [docs](https://example.com/docs)",
    "",
    "- [x] done",
    "- [ ] todo",
    "",
    "> quoted",
    "",
    "| name | size |",
    "| ---- | ---: |",
    "| a.ts | 12 |",
    "| longer-name.ts | 3400 |",
    "",
    "```python",
    "def f(x):",
    "    return 42",
    "```",
  ].join("\n");

  it("lays out lists, task boxes, quotes, tables and code at 80 columns", () => {
    expect(renderAt(80, <MarkdownView markdown={markdown} width={80} />).text())
      .toMatchInlineSnapshot(`
      "Title

      1. first bold and code
      2. second, see docs (https://example.com/docs)

      • [x] done
      • [ ] todo

      │ quoted

      name            size
      ────────────────────
      a.ts              12
      longer-name.ts  3400

        def f(x):
            return 42"
    `);
  });

  it("highlights a code block by its fence's language", () => {
    const frame = renderAt(
      80,
      <MarkdownView markdown={"```python\ndef f(x):\n    return 42\n```"} width={80} />,
    ).frame();
    expect(frame).toContain(`${MAGENTA}def`);
    expect(frame).toContain(`${MAGENTA}return`);
  });

  it("leaves a code block in an unknown language plain but intact", () => {
    const view = renderAt(80, <MarkdownView markdown={"```brainfuck\n++>-<\n```"} width={80} />);
    expect(view.text()).toBe("  ++>-<");
  });

  it("turns a table too wide for the terminal into one block per row", () => {
    const wide =
      "| column one | column two |\n| --- | --- |\n| a long value here | another long value |";
    expect(renderAt(30, <MarkdownView markdown={wide} width={30} />).text()).toMatchInlineSnapshot(`
      "column one: a long value here
      column two: another long value"
    `);
  });
});

describe("<DiffView>", () => {
  const diff = [
    "--- a/x.ts",
    "+++ b/x.ts",
    "@@ -10,3 +10,4 @@ function x()",
    " keep",
    "-old",
    "+new",
    "+added",
    " tail",
  ].join("\n");

  it("numbers lines and keeps the +/- marks without colour", () => {
    const view = renderAt(80, <DiffView diff={diff} width={80} />, { noColor: true });
    expect(view.frame()).not.toMatch(COLOUR_SGR);
    expect(view.text()).toMatchInlineSnapshot(`
      "     @@ -10,3 +10,4 @@ function x()
        10   keep
        11 - old
        11 + new
        12 + added
        13   tail"
    `);
  });

  it("colours additions green and removals red", () => {
    const frame = renderAt(80, <DiffView diff={diff} width={80} />).frame();
    expect(frame).toContain("\x1b[32m+ new");
    expect(frame).toContain("\x1b[31m- old");
  });

  it("stops after maxLines with a count of the rest", () => {
    const view = renderAt(80, <DiffView diff={diff} width={80} maxLines={2} />);
    expect(view.text().split("\n").at(-1)).toBe("     … +4 lines");
  });
});

describe("<CellView>", () => {
  const cells: Cell[] = [
    { kind: "reasoning", id: "r", text: "**Reading the tests**\nthey pad lines\nso trim first" },
    {
      kind: "plan",
      id: "p",
      items: [
        { text: "Fix parse()", completed: true },
        { text: "Run tests", completed: false },
      ],
    },
    { kind: "qa", id: "q", verdict: "block", reason: "tests still fail", tasks: [], round: 2 },
    {
      kind: "route",
      id: "rt",
      role: "executor",
      target: "anthropic/claude-sonnet-4-5",
      profile: "work",
      reason: "rule 'tests'",
    },
    {
      kind: "notice",
      id: "n",
      tone: "warning",
      text: "profile anthropic: work → work2 · 429, resets 14:05",
    },
    {
      kind: "approval",
      id: "ap",
      subject: "rm -rf build",
      approved: false,
      outcome: "denied: use make clean",
    },
    {
      kind: "aside",
      id: "as",
      question: "why trim first?",
      markdown: "Because the split keeps the padding.",
      status: "completed",
      model: "openai/gpt-5-codex",
      profile: "work",
      cachedTokens: 12_400,
    },
    {
      kind: "tool",
      id: "t",
      tool: "read_file",
      summary: "src/parse.ts",
      status: "failed",
      error: "no such file",
    },
    { kind: "error", id: "e", message: "Turn failed: upstream closed the stream" },
  ];

  for (const width of [80, 120]) {
    it(`draws every other kind of cell at ${width} columns`, () => {
      const text = cells
        .map((cell) => renderAt(width, <CellView cell={cell} width={width} now={0} />).text())
        .join("\n");
      expect(text).toContain("• Thinking: Reading the tests (+2 lines)");
      expect(text).toContain("  [x] Fix parse()\n  [ ] Run tests");
      expect(text).toContain("✗ QA blocked (round 2): tests still fail");
      expect(text).toContain(
        "  executor → anthropic/claude-sonnet-4-5 · profile work · because rule 'tests'",
      );
      expect(text).toContain("! profile anthropic: work → work2 · 429, resets 14:05");
      expect(text).toContain("✗ denied: use make clean · rm -rf build");
      expect(text).toContain(
        "┃ aside · gpt-5-codex · work · 12.4k cached\n┃ › why trim first?\n┃ Because the split keeps the padding.",
      );
      expect(text).toContain("✗ read_file src/parse.ts\n  └ no such file");
      expect(text).toContain("✗ Turn failed: upstream closed the stream");
      for (const row of text.split("\n")) expect(row.length).toBeLessThanOrEqual(width);
    });
  }
});
