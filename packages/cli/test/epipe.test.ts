// `hedge … | head`: the reader closes the pipe early; hedge stops quietly (no stack trace).
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { makeTempHome } from "@hedge/testkit";
import { HEDGE_BIN } from "./run-hedge.js";

describe("a reader that closes the pipe early", () => {
  it("stops hedge quietly: no EPIPE stack trace on stderr", async () => {
    const home = await makeTempHome();
    try {
      // The reader is gone before hedge writes its first byte.
      const child = spawn(process.execPath, [HEDGE_BIN, "--help"], {
        env: { ...home.env, PATH: process.env["PATH"] },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stderr = "";
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
      child.stdout.destroy();
      const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
      expect(stderr).not.toMatch(/EPIPE|\n\s+at /);
      expect(code).toBe(0);
    } finally {
      await home.cleanup();
    }
  });
});
