import { describe, expect, it } from "vitest";
import { Box } from "ink";
import type { ReactElement } from "react";
import type { Cell } from "../state/cells.js";
import { COLOUR_SGR, FAINT_SGR, renderAt } from "../test-utils/render.js";
import { LiveTail, Transcript } from "./transcript.js";

const user: Cell = {
  kind: "user",
  id: "u1",
  text: "make parse() trim its input",
  via: "turn_start",
};
const answer: Cell = {
  kind: "assistant",
  id: "a1#0",
  continued: false,
  markdown: [
    "## Fix",
    "",
    "The parser trims **after** splitting; it must trim first, because the tests feed it padded lines.",
    "",
    "```ts",
    "const value = input.trim(); // first",
    "```",
  ].join("\n"),
};
const ran: Cell = {
  kind: "command",
  id: "c1",
  command: "pnpm test",
  status: "failed",
  exitCode: 1,
  durationMs: 12_300,
  output: Array.from({ length: 9 }, (_, index) => `line ${index + 1}`).join("\n"),
};
const edit: Cell = {
  kind: "file-change",
  id: "f1",
  status: "completed",
  changes: [
    {
      path: "src/parse.ts",
      kind: "update",
      diff: "@@ -4,2 +4,2 @@\n-  return input.split(',');\n+  return input.trim().split(',');\n",
    },
  ],
};

function transcript(cells: Cell[], width: number): ReactElement {
  return (
    <Box flexDirection="column">
      <Transcript committed={cells} width={width} />
    </Box>
  );
}

describe("<Transcript>", () => {
  it("prints each cell at 80 columns", () => {
    const view = renderAt(80, transcript([user, answer, ran, edit], 80));
    expect(view.text()).toMatchInlineSnapshot(`
      "› make parse() trim its input

      • Fix

        The parser trims after splitting; it must trim first, because the tests feed
        it padded lines.

          const value = input.trim(); // first

      ✗ Ran pnpm test
        │ line 1
        │ line 2
        │ … +4 lines (Ctrl+O to expand)
        │ line 7
        │ line 8
        │ line 9
        └ exit 1 · 12.3 s

      • Edited src/parse.ts (+1 -1)
           @@ -4,2 +4,2 @@
         4 -   return input.split(',');
         4 +   return input.trim().split(',');
      "
    `);
  });

  it("wraps prose to the terminal's width at 120 columns", () => {
    const view = renderAt(120, transcript([answer], 120));
    expect(view.text()).toMatchInlineSnapshot(`
      "• Fix

        The parser trims after splitting; it must trim first, because the tests feed it padded lines.

          const value = input.trim(); // first
      "
    `);
  });

  it("prints committed cells once and appends new ones below", () => {
    const view = renderAt(80, transcript([user], 80));
    view.rerender(transcript([user, ran], 80));
    const text = view.text();
    expect(text.match(/make parse\(\) trim its input/g)).toHaveLength(1);
    expect(text.indexOf("› make parse()")).toBeLessThan(text.indexOf("✗ Ran pnpm test"));
  });

  it("cells dropped from memory after they were printed leave the screen as it was; new ones still print once", () => {
    const notice = (index: number): Cell => ({
      kind: "notice",
      id: `n${index}`,
      tone: "info",
      text: `notice number ${index}`,
    });
    const all = Array.from({ length: 12 }, (_, index) => notice(index));
    const windowed = (cells: Cell[], before: number) => (
      <Box flexDirection="column">
        <Transcript committed={cells} committedBefore={before} width={80} />
      </Box>
    );
    const view = renderAt(80, windowed(all.slice(0, 8), 0));
    // The model dropped the first 6 (printed already) and two new cells came.
    view.rerender(windowed(all.slice(6, 10), 6));
    view.rerender(windowed(all.slice(6, 12), 6));
    const text = view.text();
    for (let index = 0; index < 12; index += 1)
      expect(text.match(new RegExp(`notice number ${index}$`, "gm")), `cell ${index}`).toHaveLength(
        1,
      );
    expect(text).not.toMatch(/earlier cells? not shown/);
  });

  it("cells dropped before they were ever printed show as one line with their count", () => {
    const view = renderAt(
      80,
      <Box flexDirection="column">
        <Transcript committed={[user, ran]} committedBefore={1_998} width={80} />
      </Box>,
    );
    const text = view.text();
    expect(text).toMatch(/^• … 1,998 earlier cells not shown/m);
    expect(text.indexOf("earlier cells")).toBeLessThan(text.indexOf("› make parse()"));
    expect(text).toContain("✗ Ran pnpm test");
  });

  it("lays new cells out at the new width after a resize, without reprinting the old ones", () => {
    const view = renderAt(80, transcript([user], 80));
    view.rerender(transcript([user, answer], 40));
    const rows = view.text().split("\n");
    expect(rows.filter((row) => row.includes("make parse() trim its input"))).toHaveLength(1);
    for (const row of rows.slice(1)) expect(row.length).toBeLessThanOrEqual(40);
    expect(rows).toContain("  The parser trims after splitting; it");
  });

  it("highlights code and colours the diff, and draws neither colour nor faint text under NO_COLOR", () => {
    const coloured = renderAt(80, transcript([answer, edit], 80));
    expect(coloured.frame()).toMatch(COLOUR_SGR);
    const plain = renderAt(80, transcript([answer, edit], 80), { noColor: true });
    expect(plain.frame()).not.toMatch(COLOUR_SGR);
    expect(plain.frame()).not.toMatch(FAINT_SGR);
    // The diff still reads: its +/- marks are text.
    expect(plain.text()).toContain("   4 -   return input.split(',');");
    expect(plain.text()).toContain("   4 +   return input.trim().split(',');");
    expect(plain.text()).toBe(coloured.text());
  });
});

describe("<LiveTail>", () => {
  const running: Cell = {
    kind: "command",
    id: "c2",
    command: "pnpm build",
    status: "running",
    startedAt: 0,
    output: "step 1\nstep 2\nstep 3\nstep 4\n",
  };

  it("shows a running command with its last lines and elapsed time", () => {
    const view = renderAt(80, <LiveTail cells={[running]} width={80} now={7_000} maxHeight={10} />);
    expect(view.text()).toMatchInlineSnapshot(`
      "▶ Running pnpm build
        │ step 2
        │ step 3
        │ step 4
        └ 7 s"
    `);
  });

  it("keeps the newest rows when the live cells are taller than its budget", () => {
    const streaming: Cell = {
      kind: "assistant",
      id: "a2",
      continued: false,
      markdown: Array.from({ length: 30 }, (_, index) => `row ${index + 1}`).join("\n\n"),
    };
    const view = renderAt(80, <LiveTail cells={[streaming]} width={80} now={0} maxHeight={5} />);
    const rows = view.text().split("\n");
    expect(rows).toHaveLength(5);
    expect(rows[0]).toMatch(/^ {2}… \d+ rows above$/);
    expect(rows.at(-1)).toBe("  row 30");
  });
});
