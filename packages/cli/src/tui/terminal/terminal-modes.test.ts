import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  BRACKETED_PASTE_OFF,
  BRACKETED_PASTE_ON,
  KITTY_KEYS_OFF,
  KITTY_KEYS_ON,
  supportsKittyKeys,
} from "./terminal-modes.js";

const modules = fileURLToPath(new URL("./terminal-modes.ts", import.meta.url));

/** A child that turns the modes on, says so, then ends as `how` says; its output and exit code. */
function child(
  how: "sigterm" | "exit" | "throw",
): Promise<{ output: string; code: number | null }> {
  const script = `
    import { enableTerminalModes } from ${JSON.stringify(modules)};
    enableTerminalModes(process.stdout, { kittyKeys: true });
    process.stdout.write("READY\\n");
    if (${JSON.stringify(how)} === "exit") setTimeout(() => process.exit(0), 10);
    if (${JSON.stringify(how)} === "throw") setTimeout(() => { throw new Error("boom"); }, 10);
    setInterval(() => undefined, 1000);
  `;
  return new Promise((resolve) => {
    const file = join(mkdtempSync(join(tmpdir(), "hedge-modes-")), "child.mts");
    writeFileSync(file, script);
    const proc = spawn(process.execPath, ["--import", "tsx", file], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    proc.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (how === "sigterm" && output.includes("READY")) proc.kill("SIGTERM");
    });
    proc.on("close", (code) => resolve({ output, code }));
  });
}

describe("terminal modes", () => {
  it("turns bracketed paste and kitty keys off again on SIGTERM, a normal exit and a crash", async () => {
    for (const how of ["sigterm", "exit", "throw"] as const) {
      const { output, code } = await child(how);
      expect(output.startsWith(`${BRACKETED_PASTE_ON}${KITTY_KEYS_ON}READY`), how).toBe(true);
      expect(output.slice(output.indexOf("READY")), how).toContain(
        `${KITTY_KEYS_OFF}${BRACKETED_PASTE_OFF}`,
      );
      if (how === "sigterm") expect(code).toBe(143);
    }
  });

  it("turns kitty keys on only in terminals known to read them, or when configured", () => {
    expect(supportsKittyKeys({ TERM: "xterm-kitty" }, undefined)).toBe(true);
    expect(supportsKittyKeys({ TERM_PROGRAM: "WezTerm" }, undefined)).toBe(true);
    expect(supportsKittyKeys({ TERM: "xterm-256color" }, undefined)).toBe(false);
    expect(supportsKittyKeys({ TERM: "xterm-kitty", TMUX: "/tmp/tmux" }, undefined)).toBe(false);
    expect(supportsKittyKeys({ TERM: "xterm-256color" }, true)).toBe(true);
  });
});
