import { stripVTControlCharacters } from "node:util";
import chalk from "chalk";
import { render as inkRender } from "ink-testing-library";
import { act, type ReactElement } from "react";
import { loadHighlighting } from "../layout/highlight.js";
import { createTheme } from "../theme.js";
import { ThemeProvider } from "../components/theme-context.js";

// Code is highlighted as in a session after its first frame.
await loadHighlighting();

// React warns about updates outside act() unless it knows it runs in a test.
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

/** A tree rendered at a fixed terminal width, and what it printed. */
export interface RenderedAt {
  /** The last frame as printed (ANSI styles included): `<Static>` output, then the live area. */
  frame(): string;
  /** The last frame without escape sequences, trailing spaces trimmed per row. */
  text(): string;
  /** Renders another tree in the same instance (`<Static>` keeps what it printed). */
  rerender(tree: ReactElement): void;
  unmount(): void;
}

export interface RenderAtOptions {
  /** Render without colour (the NO_COLOR theme). Default false. */
  noColor?: boolean;
}

/**
 * Renders `tree` as ink does in a terminal `width` columns wide (ink-testing-library's fake
 * stdout, whose width is fixed at 100, resized before the first layout), inside `act()` so every
 * effect has run when it returns. The tree gets the colour theme, or the NO_COLOR one.
 */
export function renderAt(
  width: number,
  tree: ReactElement,
  options: RenderAtOptions = {},
): RenderedAt {
  const theme = createTheme(!options.noColor);
  // chalk turns colour off when stdout is not a terminal; turn it on, so a NO_COLOR test shows
  // that the theme itself asks for no colour (run-tui also sets chalk off under NO_COLOR).
  chalk.level = 3;
  const wrap = (node: ReactElement): ReactElement => (
    <ThemeProvider theme={theme}>{node}</ThemeProvider>
  );
  let instance: ReturnType<typeof inkRender> | undefined;
  act(() => {
    instance = inkRender(wrap(<></>));
  });
  if (!instance) throw new Error("ink did not render");
  const rendered = instance;
  Object.defineProperty(rendered.stdout, "columns", { get: () => width, configurable: true });
  act(() => {
    rendered.rerender(wrap(tree));
  });
  const frame = (): string => rendered.lastFrame() ?? "";
  return {
    frame,
    text: () =>
      stripVTControlCharacters(frame())
        .split("\n")
        .map((row) => row.trimEnd())
        .join("\n"),
    rerender: (next) => {
      act(() => {
        rendered.rerender(wrap(next));
      });
    },
    unmount: () => {
      act(() => {
        rendered.unmount();
      });
    },
  };
}

/** SGR sequences that set a foreground or background colour (30-37, 38, 40-47, 48, 90-97, 100-107). */
// eslint-disable-next-line no-control-regex
export const COLOUR_SGR = /\x1b\[(?:\d+;)*(?:3[0-8]|4[0-8]|9[0-7]|10[0-7])(?:;\d+)*m/;

/** SGR faint (dim): NO_COLOR draws no faint text either (many terminals draw it as a colour). */
// eslint-disable-next-line no-control-regex
export const FAINT_SGR = /\x1b\[(?:\d+;)*2(?:;\d+)*m/;
