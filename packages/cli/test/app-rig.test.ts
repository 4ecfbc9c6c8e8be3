// The whole app on core's real thread and the scripted upstream: keys in as terminal bytes, the
// screen, the input store and what the model got checked. A turn is held mid-tool by a shell call
// that waits for a file the test creates. Each of the six reported input bugs is a scenario here.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { AppRig, waitForFile, type AppRigOptions } from "./app-rig.js";

const rigs: AppRig[] = [];
afterEach(async () => {
  for (const rig of rigs.splice(0)) {
    rig.release("never");
    await rig.stop();
  }
});

async function start(options: AppRigOptions): Promise<AppRig> {
  const rig = await AppRig.start(options);
  rigs.push(rig);
  return rig;
}

const idle = (rig: AppRig) => () => rig.controller.store.getState().phase === "idle";
/** How many requests carried `text` as their newest user message. */
const sentAsNewest = (rig: AppRig, text: string) =>
  rig.userMessages().filter((messages) => messages.at(-1)?.includes(text)).length;

describe("the app on a real thread", () => {
  it("a typed prompt is sent and the answer streams onto the screen", async () => {
    const rig = await start({ replies: [{ text: "The answer is **42**.", chunkIntervalMs: 5 }] });
    rig.keys("what is it?\r");
    await rig.waitForText(/The answer is 42\./);
    expect(rig.text()).toMatch(/› what is it\?/);
    expect(rig.userMessages()).toEqual([["what is it?"]]);
  });

  it("openai/codex #34599: five inputs sent over three tool calls and the turn's end all arrive, once each, in order", async () => {
    const rig = await start({
      replies: [
        { toolCalls: [waitForFile("f1")] },
        { toolCalls: [waitForFile("f2")] },
        { toolCalls: [waitForFile("f3")] },
        { text: "turn one done", repeat: false },
        { text: "turn two done" },
      ],
    });
    rig.keys("start\r");
    await rig.waitForText(/f1/);
    rig.keys("one\r");
    rig.release("f1");
    await rig.waitForText(/f2/);
    rig.keys("two\r");
    rig.keys("three\r");
    rig.release("f2");
    await rig.waitForText(/f3/);
    rig.keys("four\r");
    rig.release("f3");
    rig.keys("five\r");
    await rig.waitFor(
      () => idle(rig)() && rig.inputs().every(({ state }) => state === "delivered"),
      "every input delivered",
    );
    const sent = rig.sessionUserMessages().join("\n\n");
    for (const word of ["start", "one", "two", "three", "four", "five"])
      expect(sent.split(word).length - 1, word).toBe(1);
    const order = ["one", "two", "three", "four", "five"].map((word) => sent.indexOf(word));
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(rig.thread.pending()).toEqual([]);
  });

  it("openai/codex #17095: Esc during a tool call stops it and the steer comes back; Enter sends it next", async () => {
    const rig = await start({
      replies: [
        { toolCalls: [waitForFile("never")] },
        { match: { lastUserMessageIncludes: "use the fast path" }, text: "ok, fast path" },
      ],
    });
    rig.keys("go\r");
    await rig.waitForText(/never/);
    rig.keys("use the fast path\r");
    await rig.waitForText(/Sent after the next tool call/);
    rig.keys("\x1b");
    await rig.waitFor(
      () => rig.composer() === "use the fast path" && idle(rig)(),
      "the steer back",
    );
    expect(rig.text()).toMatch(/Interrupted/);
    rig.keys("\r");
    await rig.waitForText(/ok, fast path/);
    expect(sentAsNewest(rig, "use the fast path")).toBe(1);
  });

  it("anthropics/claude-code #16905 and #93659: one Esc interrupts and brings back all four waiting inputs in order, none sent", async () => {
    const rig = await start({ replies: [{ toolCalls: [waitForFile("never")] }] });
    rig.keys("go\r");
    await rig.waitForText(/never/);
    rig.keys("s1\r");
    rig.keys("q1\t");
    rig.keys("s2\r");
    rig.keys("q2\t");
    rig.keys("draft");
    rig.keys("\x1b");
    await rig.waitFor(idle(rig), "the interrupt to settle");
    expect(rig.composer()).toBe("s1\n\nq1\n\ns2\n\nq2\n\ndraft");
    await rig.waitForEvent("turn.interrupted");
    const waiting = rig.inputs().filter(({ text }) => /^[sq]\d$/.test(text));
    expect(waiting.map(({ text, state }) => `${text}:${state}`)).toEqual([
      "s1:restored",
      "q1:restored",
      "s2:restored",
      "q2:restored",
    ]);
    expect(rig.seen).toHaveLength(1);
  });

  it("anthropics/claude-code #65360: Esc right after Enter never loses the message", async () => {
    const rig = await start({ replies: [{ text: "hi there", repeat: true }] });
    rig.keys("hello\r\x1b");
    await rig.waitFor(idle(rig), "idle");
    const sent = rig
      .userMessages()
      .flat()
      .filter((text) => text === "hello").length;
    if (rig.composer() === "hello") expect(sent).toBe(0);
    else {
      expect(sent).toBe(1);
      expect(rig.text()).toMatch(/› hello/);
      rig.keys("\x1b[A");
      expect(rig.composer()).toBe("hello");
    }
  });

  it("anthropics/claude-code #30118: input typed while the interrupt settles is the next turn, sent once", async () => {
    const rig = await start({
      replies: [
        { toolCalls: [waitForFile("never")] },
        { match: { lastUserMessageIncludes: "next" }, text: "next done" },
      ],
    });
    rig.keys("go\r");
    await rig.waitForText(/never/);
    rig.keys("\x1b");
    rig.keys("next\r");
    await rig.waitForText(/next done/);
    expect(sentAsNewest(rig, "next")).toBe(1);
    expect(rig.composer()).toBe("");
  });

  it("an approval asks the person; the composer can steer while it waits; y runs the command", async () => {
    const rig = await start({
      config: { approval_policy: "untrusted" },
      replies: [
        { toolCalls: [{ name: "shell", arguments: { command: ["touch", "made.txt"] } }] },
        { text: "made it" },
      ],
    });
    rig.keys("make the file\r");
    await rig.waitForText(/Run this command\?/);
    expect(existsSync(join(rig.workspace.path, "made.txt"))).toBe(false);
    rig.keys("\x1b[Z");
    rig.keys("and log it\r");
    await rig.waitFor(
      () =>
        rig.inputs().some(({ text, state }) => text === "and log it" && state === "pending_steer"),
      "the steer stored",
    );
    rig.keys("\x1b[Z");
    rig.keys("y");
    await rig.waitForText(/made it/);
    expect(existsSync(join(rig.workspace.path, "made.txt"))).toBe(true);
    expect(rig.sessionUserMessages()).toEqual(["make the file", "and log it"]);
  });

  it("/ask during a turn answers aside; the conversation is unchanged", async () => {
    const rig = await start({
      replies: [
        { toolCalls: [waitForFile("never")] },
        { match: { lastUserMessageIncludes: "side question" }, text: "the aside answer" },
      ],
    });
    rig.keys("go\r");
    await rig.waitForText(/never/);
    rig.keys("/ask a side question?\r");
    await rig.waitForText(/the aside answer/);
    expect(rig.controller.store.getState().phase).toBe("running");
    expect(rig.sessionUserMessages()).toEqual(["go"]);
  });

  it("Ctrl+O pages a command's whole output; q closes the pager", async () => {
    const rig = await start({
      rows: 20,
      replies: [
        { toolCalls: [{ name: "shell", arguments: { command: ["seq", "101", "160"] } }] },
        { text: "counted" },
      ],
    });
    rig.keys("count\r");
    await rig.waitForText(/counted/);
    expect(rig.text()).not.toMatch(/\b130\b/);
    rig.keys("\x0f");
    await rig.waitForText(/Output of seq 101 160/);
    expect(rig.text()).toMatch(/\b101\b[\s\S]*\b110\b/);
    rig.keys("G");
    await rig.waitForText(/\b160\b/);
    expect(rig.text()).toMatch(/lines \d+-\d+ of \d+/);
    rig.keys("q");
    await rig.waitForText(/Ask hedge to do something/);
    expect(rig.text()).not.toMatch(/Output of seq/);
  });

  it("/approvals, /model, /new and /resume change the thread between turns", async () => {
    const rig = await start({
      config: { approval_policy: "untrusted" },
      replies: [
        { text: "first answer" },
        { toolCalls: [{ name: "shell", arguments: { command: ["touch", "ran.txt"] } }] },
        { text: "ran it" },
        { text: "in the new session" },
      ],
    });
    rig.keys("hello\r");
    await rig.waitForText(/first answer/);
    const first = rig.thread.id;
    rig.keys("/approvals never\r");
    await rig.waitForText(/approval policy: never/);
    rig.keys("/model lab/other\r");
    await rig.waitForText(/executor model: lab\/other/);
    expect(rig.thread.id).toBe(first);
    rig.keys("touch it\r");
    await rig.waitForText(/ran it/);
    // Under "never" nothing asked; the same session, on the new model.
    expect(existsSync(join(rig.workspace.path, "ran.txt"))).toBe(true);
    expect(rig.seen.at(-1)?.model).toBe("lab/other");
    expect(rig.userMessages().at(-1)).toContain("hello");
    rig.keys("/new\r");
    await rig.waitForText(/new session/);
    expect(rig.thread.id).not.toBe(first);
    rig.keys("fresh start\r");
    await rig.waitForText(/in the new session/);
    expect(rig.userMessages().at(-1)).toEqual(["fresh start"]);
    rig.keys("/resume\r");
    await rig.waitForText(new RegExp(`${first.slice(0, 8)}.*hello`));
    rig.keys("\x1b");
    rig.keys(`/resume ${first.slice(0, 8)}\r`);
    await rig.waitForText(/resumed session/);
    expect(rig.thread.id).toBe(first);
    rig.keys("/model\r");
    expect(rig.controller.store.getState().notice?.text ?? "").not.toMatch(/Unknown/);
  });
});
