// `hedge ask QUESTION` from a shell: a side question on a fork of a session's conversation,
// answered by the scripted upstream; the session's conversation stays as it was.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { execFixture, threadIdOf, type ExecFixture } from "./exec-helpers.js";
import { runHedge } from "./run-hedge.js";

let fixture: ExecFixture | undefined;
afterEach(async () => {
  await fixture?.cleanup();
  fixture = undefined;
});

function hedge(current: ExecFixture, args: string[], cwd = current.repo.path) {
  return runHedge(args, { env: current.env, cwd });
}

/** The user and assistant texts of the last request the upstream got. */
function lastConversation(current: ExecFixture): string {
  return JSON.stringify(current.upstream.requests.at(-1)?.body);
}

/** Every session file's records of type `type`. */
function records(current: ExecFixture, type: string): unknown[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(dir, entry.name));
      else if (/\.(jsonl|asides)$/.test(entry.name)) files.push(join(dir, entry.name));
    }
  };
  walk(join(current.home.path, "sessions"));
  return files.flatMap((file) =>
    readFileSync(file, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { type: string })
      .filter((record) => record.type === type),
  );
}

describe("hedge ask", () => {
  it("answers on a fork of this directory's newest session: stdout is the answer, the conversation is unchanged", async () => {
    fixture = await execFixture();
    fixture.upstream.push({ text: "Noted: the code word is PELICAN." });
    const first = await hedge(fixture, ["exec", "--json", "remember the code word PELICAN"]);
    expect(first.code, first.stderr).toBe(0);
    // A newer session elsewhere is not the one asked about.
    fixture.upstream.push({ text: "other session" });
    const other = await hedge(
      fixture,
      ["exec", "unrelated ALBATROSS"],
      join(fixture.repo.path, "src"),
    );
    expect(other.code, other.stderr).toBe(0);
    const messagesBefore = records(fixture, "message");

    fixture.upstream.push({ text: "The code word is PELICAN." });
    const asked = await hedge(fixture, ["ask", "what", "is", "the", "code", "word?"]);
    expect(asked.code, asked.stderr).toBe(0);
    expect(asked.stdout).toBe("The code word is PELICAN.\n");
    const sent = lastConversation(fixture);
    expect(sent).toContain("remember the code word PELICAN");
    expect(sent).toContain("what is the code word?");
    expect(sent).not.toContain("ALBATROSS");
    // The fork: no message was added to any conversation; the aside is recorded apart.
    expect(records(fixture, "message")).toEqual(messagesBefore);
    expect(records(fixture, "aside")).toEqual([
      expect.objectContaining({
        question: "what is the code word?",
        answer: "The code word is PELICAN.",
      }),
    ]);

    // --session picks another session explicitly.
    fixture.upstream.push({ text: "ALBATROSS it was." });
    const byId = await hedge(fixture, [
      "ask",
      "--session",
      threadIdOf(first.stdout).slice(0, 8),
      "and?",
    ]);
    expect(byId.code, byId.stderr).toBe(0);
    expect(lastConversation(fixture)).toContain("PELICAN");
  });

  it("a directory without a session gets one line and the next step", async () => {
    fixture = await execFixture();
    const asked = await hedge(fixture, ["ask", "anything?"]);
    expect(asked.code).toBe(2);
    expect(asked.stderr).toMatch(/no session ran in .* yet/);
    expect(asked.stderr).toMatch(/--session ID/);
    expect(asked.stderr).not.toMatch(/\n\s+at /);
    expect(fixture.upstream.requests).toHaveLength(0);
  });
});
