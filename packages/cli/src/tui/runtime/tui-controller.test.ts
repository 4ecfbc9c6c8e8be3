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

  it("reads the profiles' headroom when the thread attaches and after each turn, for the status line", async () => {
    let reads = 0;
    const made = new TuiController({
      initial: initialSessionState(),
      runner: { quit: () => undefined },
      frameMs: 1,
      readUsage: () => {
        reads += 1;
        return Promise.resolve({ store: "sqlite", switch_below: 0.1, profiles: [] });
      },
    });
    made.attach(new FakeThread());
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(made.getSnapshot().usage).toEqual({ store: "sqlite", switch_below: 0.1, profiles: [] });
    made.applyThreadEvent({
      type: "turn.completed",
      usage: {
        input_tokens: 1,
        cached_input_tokens: 0,
        cache_write_input_tokens: 0,
        output_tokens: 1,
        reasoning_output_tokens: 0,
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(reads).toBe(2);
    made.dispose();
  });
});
