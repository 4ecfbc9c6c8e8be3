import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SqliteInputStore } from "./sqlite-input-store.js";

const session = "s1";
const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()?.();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "hedge-inputs-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function open(path: string): Promise<SqliteInputStore> {
  const store = await SqliteInputStore.open(path);
  cleanups.push(() => store.close());
  return store;
}

describe("SqliteInputStore: durable pending inputs", () => {
  it("an input is on disk when add returns: another connection sees it, composer included", async () => {
    const path = join(tempDir(), "home", "inputs.db");
    const writer = await open(path);
    const added = writer.add(session, {
      kind: "steer",
      text: "full pasted text",
      composer: '{"v":1,"text":"[Pasted 120 lines]"}',
    });
    const reader = await open(path);
    expect(reader.open(session)).toEqual([added]);
    expect(added.composer).toBe('{"v":1,"text":"[Pasted 120 lines]"}');
    // What the user typed stays theirs: file 0600 in a 0700 directory.
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(path, "..")).mode & 0o777).toBe(0o700);
  });

  it("two connections racing: an input is claimed or restored, never both", async () => {
    const path = join(tempDir(), "inputs.db");
    const a = await open(path);
    const b = await open(path);
    const steer = a.add(session, { kind: "steer", text: "x" });
    const queued = a.add(session, { kind: "queue", text: "y" });
    expect(a.claim(session, ["pending_steer"], { turn: "t", via: "tool_boundary" })).toHaveLength(
      1,
    );
    // b interrupts: only the one still open comes back.
    expect(b.restore(session).map(({ id }) => id)).toEqual([queued.id]);
    expect(a.restore(session, [steer.id, queued.id])).toEqual([]);
    expect(b.claim(session, ["queued"], { turn: "t", via: "turn_start" })).toEqual([]);
  });

  it("submission order continues across reopening the file", async () => {
    const path = join(tempDir(), "inputs.db");
    const first = await open(path);
    first.add(session, { kind: "turn", text: "one" });
    first.close();
    const second = await open(path);
    const next = second.add(session, { kind: "queue", text: "two" });
    expect(next.seq).toBe(2);
    expect(second.open(session).map(({ text }) => text)).toEqual(["one", "two"]);
  });

  it("a file that is not a database: one line naming it and what to do, file untouched", async () => {
    const path = join(tempDir(), "inputs.db");
    writeFileSync(path, "this is not sqlite, it is a note I keep here".repeat(100));
    const before = readFileSync(path);
    const error = await SqliteInputStore.open(path).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: "inputs_db_corrupt" });
    expect((error as Error).message).toContain(path);
    expect((error as { hint: string }).hint).toContain("mv");
    expect(readFileSync(path)).toEqual(before);
  });

  it("a home that cannot be written: inputs_db_unwritable with a hint", async () => {
    const blocker = join(tempDir(), "not-a-dir");
    writeFileSync(blocker, "");
    const error = await SqliteInputStore.open(join(blocker, "inputs.db")).catch(
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ code: "inputs_db_unwritable" });
    expect((error as { hint: string }).hint).toContain("HEDGE_HOME");
  });
});
