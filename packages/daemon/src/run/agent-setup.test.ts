import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { redactFile } from "./agent-setup.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("redactFile", () => {
  it("masks every copy of the key, also one split across read chunks, keeping the length", () => {
    const dir = mkdtempSync(join(tmpdir(), "hedge-redact-"));
    dirs.push(dir);
    const path = join(dir, "run.log");
    const key = `hk-${"k".repeat(32)}`;
    // 65536 is the read chunk: the second copy straddles it.
    const before = `${"a".repeat(100)}${key}\n${"b".repeat(65_536 - 100 - key.length - 1 - 10)}${key}\ntail ${key}`;
    writeFileSync(path, before);
    const mask = "[redacted]".padEnd(key.length, "*");
    redactFile(path, key, mask);
    const after = readFileSync(path, "utf8");
    expect(after).not.toContain(key);
    expect(after.split(mask)).toHaveLength(4);
    expect(after).toHaveLength(before.length);
  });

  it("leaves a missing file alone", () => {
    expect(() => redactFile("/nonexistent/run.log", "hk-x", "***")).not.toThrow();
  });
});
