// Keys typed ahead of the screen: before the thread is ready, or in the same read as the Enter
// before it. Every Enter sends what it was pressed on, once, in order; none is dropped.
import { describe, expect, it } from "vitest";
import { createKeyDecoder } from "../terminal/key-decoder.js";
import { createPasteDetector } from "../terminal/paste-detector.js";
import { FakeThread } from "../test-utils/fake-thread.js";
import { toModelText } from "../state/composer-buffer.js";
import { initialSessionState } from "../state/session-state.js";
import { TuiController } from "./tui-controller.js";

/** The controller behind the real decoder and paste detector, one read per `keys` call. */
function controller() {
  const made = new TuiController({
    initial: initialSessionState(),
    runner: { quit: () => undefined },
    frameMs: 1,
  });
  const detector = createPasteDetector((events) => made.keys(events, 0));
  const decoder = createKeyDecoder((events) => detector.push(events));
  const keys = (bytes: string): void => {
    decoder.feed(bytes);
    decoder.flush();
  };
  const composer = () => toModelText(made.store.getState().composer);
  return { made, keys, composer };
}

const texts = (thread: FakeThread) =>
  thread.store
    .recent(50)
    .reverse()
    .map(({ text }) => text);

describe("keys typed ahead", () => {
  it("a second prompt and Enter typed before the thread is ready is sent after the first, not dropped", () => {
    const { made, keys, composer } = controller();
    keys("first prompt\r");
    keys("second prompt");
    keys("\r");
    const thread = new FakeThread();
    made.attach(thread);
    expect(texts(thread)).toEqual(["first prompt", "second prompt"]);
    expect(composer()).toBe("");
    made.dispose();
  });

  it("Enter pressed twice on one prompt before the thread is ready sends it once", () => {
    const { made, keys, composer } = controller();
    keys("only once\r");
    keys("\r");
    const thread = new FakeThread();
    made.attach(thread);
    expect(texts(thread)).toEqual(["only once"]);
    expect(composer()).toBe("");
    made.dispose();
  });

  it("text typed after a pending prompt without Enter stays in the composer, alone", () => {
    const { made, keys, composer } = controller();
    keys("sent\r");
    keys("draft");
    const thread = new FakeThread();
    made.attach(thread);
    expect(texts(thread)).toEqual(["sent"]);
    expect(composer()).toBe("draft");
    made.dispose();
  });

  it("while a turn runs, steers typed in one read each reach the thread once, in order", () => {
    const { made, keys } = controller();
    const thread = new FakeThread();
    made.attach(thread);
    keys("start\r");
    thread.startTurn();
    keys("one\r");
    keys("two\r");
    expect(texts(thread)).toEqual(["start", "one", "two"]);
    made.dispose();
  });
});
