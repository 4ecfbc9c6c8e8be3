import { describe, expect, it } from "vitest";
import type { PickerItem, SlashItem } from "../layout/list-layout.js";
import { segment, type StyledLine } from "../layout/styled-text.js";
import { renderAt } from "../test-utils/render.js";
import { Composer } from "./composer.js";
import { ListPicker } from "./list-picker.js";
import { MentionPopup } from "./mention-popup.js";
import { Pager } from "./pager.js";
import { SlashPopup } from "./slash-popup.js";

const commands: SlashItem[] = [
  { name: "model", description: "choose the model of a role", disabled: true },
  { name: "status", description: "config, routes, profiles, session, tokens" },
  {
    name: "ask",
    description: "a side question to the model with the context",
    argsHint: "QUESTION",
  },
  { name: "quit", description: "leave (pending inputs stay)" },
];

describe("<SlashPopup>", () => {
  it("lists commands in registry order, greying out the ones a turn blocks, at 80 columns", () => {
    const view = renderAt(
      80,
      <SlashPopup items={commands} selected={1} filter="" width={80} maxHeight={8} />,
    );
    expect(view.text()).toMatchInlineSnapshot(`
      "  /model         choose the model of a role (not while a turn runs)
      › /status        config, routes, profiles, session, tokens
        /ask QUESTION  a side question to the model with the context
        /quit          leave (pending inputs stay)"
    `);
  });

  it("cuts descriptions at 40 columns instead of wrapping", () => {
    const rows = renderAt(
      40,
      <SlashPopup items={commands} selected={0} filter="" width={40} maxHeight={8} />,
    )
      .text()
      .split("\n");
    expect(rows).toHaveLength(4);
    for (const row of rows) expect(row.length).toBeLessThanOrEqual(40);
  });

  it("scrolls to keep the selected command visible", () => {
    const rows = renderAt(
      120,
      <SlashPopup items={commands} selected={3} filter="" width={120} maxHeight={2} />,
    )
      .text()
      .split("\n");
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatch(/^› \/quit/);
  });

  it("says when nothing matches", () => {
    expect(
      renderAt(
        80,
        <SlashPopup items={[]} selected={0} filter="stauts" width={80} maxHeight={8} />,
      ).text(),
    ).toBe("No command matches /stauts");
  });
});

describe("<MentionPopup>", () => {
  const paths = ["src/tui/app.tsx", "src/tui/components/approval-prompt.tsx", "README.md"];

  it("lists matching paths with the selected one marked, at 80 columns", () => {
    const view = renderAt(
      80,
      <MentionPopup paths={paths} selected={1} query="app" width={80} maxHeight={8} />,
    );
    expect(view.text()).toBe(
      ["  src/tui/app.tsx", "› src/tui/components/approval-prompt.tsx", "  README.md"].join("\n"),
    );
  });

  it("keeps the end of a long path (the file name) at a narrow width", () => {
    const view = renderAt(
      24,
      <MentionPopup paths={paths} selected={0} query="" width={24} maxHeight={8} />,
    );
    expect(view.text().split("\n")[1]).toBe("  …s/approval-prompt.tsx");
  });

  it("marks the characters that matched", () => {
    const frame = renderAt(
      120,
      <MentionPopup paths={["README.md"]} selected={1} query="rme" width={120} maxHeight={8} />,
    ).frame();
    // R, M and E in the accent colour (cyan), the rest plain.
    expect(frame).toContain("R\x1b[39mEAD\x1b[36mME\x1b[39m.md");
  });

  it("shows a hostile file name from the repository as text", () => {
    const view = renderAt(
      80,
      <MentionPopup
        paths={["src/\x1b]0;pwned\x07x.ts"]}
        selected={0}
        query=""
        width={80}
        maxHeight={8}
      />,
    );
    expect(view.frame()).not.toContain("\x1b]");
    expect(view.text()).toBe("› src/x.ts");
  });

  it("says when no file matches", () => {
    const view = renderAt(
      80,
      <MentionPopup paths={[]} selected={0} query="zzz" width={80} maxHeight={8} />,
    );
    expect(view.text()).toBe("No files match @zzz");
  });
});

describe("<ListPicker>", () => {
  const models: PickerItem[] = [
    { label: "anthropic/claude-sonnet-4-5", description: "work · 72% left", current: true },
    { label: "openai/gpt-5-codex", description: "work · 40% left" },
    { label: "openai/gpt-5-pro", description: "refused by policy: cost", disabled: true },
  ];

  for (const width of [80, 120]) {
    it(`shows a title, the entries and the keys at ${width} columns`, () => {
      const view = renderAt(
        width,
        <ListPicker
          title="Executor model"
          items={models}
          selected={1}
          filter=""
          width={width}
          maxHeight={8}
        />,
      );
      expect(view.text()).toBe(
        [
          "Executor model",
          "  anthropic/claude-sonnet-4-5 ✓  work · 72% left",
          "› openai/gpt-5-codex  work · 40% left",
          "  openai/gpt-5-pro  refused by policy: cost",
          "↑↓ select · Enter choose · Esc close",
        ].join("\n"),
      );
    });
  }

  it("shows the filter and says when nothing matches", () => {
    const view = renderAt(
      80,
      <ListPicker title="Resume" items={[]} selected={0} filter="zz" width={80} maxHeight={8} />,
    );
    expect(view.text()).toBe(
      "Resume  filter: zz\n  nothing matches\n↑↓ select · Enter choose · Esc close",
    );
  });
});

describe("<Pager>", () => {
  const lines: StyledLine[] = Array.from({ length: 50 }, (_, index) => [
    segment(`output line ${index + 1}`),
  ]);

  it("fills the screen: a title, a window of rows, the position", () => {
    const rows = renderAt(
      80,
      <Pager title="pnpm test (exit 1)" lines={lines} offset={10} width={80} height={6} />,
    )
      .text()
      .split("\n");
    expect(rows).toEqual([
      "pnpm test (exit 1)",
      "output line 11",
      "output line 12",
      "output line 13",
      "output line 14",
      "lines 11-14 of 50 · ↑↓ PgUp PgDn scroll · q close",
    ]);
  });

  it("clamps an offset past the end to the last page, at 120 columns", () => {
    const rows = renderAt(
      120,
      <Pager title="diff" lines={lines} offset={999} width={120} height={5} />,
    )
      .text()
      .split("\n");
    expect(rows.slice(1, 4)).toEqual(["output line 48", "output line 49", "output line 50"]);
  });
});

describe("<Composer>", () => {
  it("shows the placeholder and the hint when empty, at 80 columns", () => {
    const view = renderAt(
      80,
      <Composer
        lines={[""]}
        cursor={{ line: 0, column: 0 }}
        width={80}
        maxHeight={11}
        placeholder="Ask hedge to do anything"
        hint="Enter send · Tab queue · Ctrl+J newline"
      />,
    );
    expect(view.text()).toBe(
      [
        "─".repeat(80),
        "›  Ask hedge to do anything",
        "─".repeat(80),
        "Enter send · Tab queue · Ctrl+J newline",
      ].join("\n"),
    );
  });

  it("wraps long lines and shows the rows around the cursor when taller than its budget", () => {
    const lines = Array.from({ length: 10 }, (_, index) => `line ${index + 1}`);
    const view = renderAt(
      120,
      <Composer lines={lines} cursor={{ line: 9, column: 7 }} width={120} maxHeight={6} />,
    );
    const rows = view.text().split("\n");
    expect(rows).toHaveLength(6);
    expect(rows.slice(1, 4)).toEqual(["  line 8", "  line 9", "  line 10"]);
  });

  it("shows control characters in the buffer as symbols, keeping the cursor on its character", () => {
    const line = "a\x1b[2Jb\x07";
    const view = renderAt(
      80,
      <Composer lines={[line]} cursor={{ line: 0, column: 5 }} width={80} maxHeight={11} />,
    );
    expect(view.frame()).not.toContain("\x1b[2J");
    expect(view.frame()).not.toContain("\x07");
    expect(view.text().split("\n")[1]).toBe("› a␛[2Jb␇");
  });

  it("draws a paste placeholder as one atom", () => {
    const text = "see [Pasted 120 lines #1] please";
    const view = renderAt(
      80,
      <Composer
        lines={[text]}
        cursor={{ line: 0, column: text.length }}
        atoms={[{ line: 0, start: 4, end: 25 }]}
        width={80}
        maxHeight={11}
      />,
    );
    expect(view.text().split("\n")[1]).toBe(`› ${text}`);
  });
});
