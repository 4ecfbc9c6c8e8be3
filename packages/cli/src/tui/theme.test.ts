import chalk from "chalk";
import { afterEach, describe, expect, it } from "vitest";
import { applyColorMode, colorEnabled, createTheme, type StyleRole } from "./theme.js";

describe("colour mode", () => {
  const level = chalk.level;
  afterEach(() => {
    chalk.level = level;
  });

  it("turns colour off for NO_COLOR (any value), FORCE_COLOR=0 and a dumb terminal", () => {
    expect(colorEnabled({ TERM: "xterm-256color" })).toBe(true);
    expect(colorEnabled({ TERM: "xterm-256color", NO_COLOR: "1" })).toBe(false);
    expect(colorEnabled({ TERM: "xterm-256color", NO_COLOR: "yes" })).toBe(false);
    expect(colorEnabled({ TERM: "xterm-256color", FORCE_COLOR: "0" })).toBe(false);
    expect(colorEnabled({ TERM: "dumb" })).toBe(false);
    // An empty NO_COLOR does not count (no-color.org).
    expect(colorEnabled({ TERM: "xterm", NO_COLOR: "" })).toBe(true);
  });

  it("gives no colour and no faint style to any role without colour", () => {
    const theme = createTheme(false);
    const roles: StyleRole[] = ["muted", "diffAdd", "diffRemove", "syntaxKeyword", "error", "link"];
    for (const role of roles) {
      const style = theme.style(role);
      expect(style.color).toBeUndefined();
      expect(style.dimColor).toBeUndefined();
    }
    expect(theme.borderColor).toBeUndefined();
    // The cursor and the selected row still show, by reverse video.
    expect(theme.style("cursor").inverse).toBe(true);
    expect(theme.style("selected").inverse).toBe(true);
  });

  it("switches chalk (ink's colour layer, which ignores NO_COLOR) off without colour", () => {
    chalk.level = 3;
    applyColorMode(createTheme(true));
    expect(chalk.level).toBe(3);
    applyColorMode(createTheme(false));
    expect(chalk.level).toBe(0);
  });
});
