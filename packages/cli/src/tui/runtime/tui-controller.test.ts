import { describe, expect, it } from "vitest";
import { createKeyDecoder } from "../terminal/key-decoder.js";
import { FakeThread } from "../test-utils/fake-thread.js";
import { toModelText } from "../state/composer-buffer.js";
import { initialSessionState } from "../state/session-state.js";
import { TuiController } from "./tui-controller.js";

function controller() {
  const made = new TuiController({
    initial: initialSessionState(),
    runner: { quit: () => undefined },
    frameMs: 1,
  });
  const decoder = createKeyDecoder((events) => made.keys(events, 0));
  const keys = (bytes: string): void => {
    decoder.feed(bytes);
    decoder.flush();
  };
  return { made, keys };
}

describe("tui controller", () => {
  it("a prompt sent before the thread is ready is stored and run once it is", () => {
    const { made, keys } = controller();
    keys("first prompt\r");
    expect(toModelText(made.store.getState().composer)).toBe("first prompt");
    const thread = new FakeThread();
    made.attach(thread);
    expect(thread.runs).toBe(1);
    expect(toModelText(made.store.getState().composer)).toBe("");
    made.dispose();
  });
});
