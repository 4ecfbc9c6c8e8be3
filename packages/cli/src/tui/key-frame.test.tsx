// What a key press costs while an answer streams: one render of the screen, and no layout of the
// live transcript (only the composer changed). Counted, not timed.
import { render } from "ink-testing-library";
import { act, Profiler } from "react";
import { describe, expect, it } from "vitest";
import { App } from "./app.js";
import { liveTailStats } from "./layout/live-tail-layout.js";
import { TuiController } from "./runtime/tui-controller.js";
import { initialSessionState } from "./state/session-state.js";
import { createKeyDecoder } from "./terminal/key-decoder.js";
import { command, delta, started } from "./test-utils/events.js";
import { createTheme } from "./theme.js";

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

describe("a key press while an answer streams", () => {
  it("renders the screen once per key and lays out none of the live transcript", async () => {
    let now = 1_000_000;
    const controller = new TuiController({
      initial: initialSessionState(),
      runner: { quit: () => undefined },
      frameMs: 1,
      now: () => now,
    });
    let renders = 0;
    const output = { columns: 100, rows: 30, on: () => undefined, off: () => undefined };
    let view: ReturnType<typeof render> | undefined;
    act(() => {
      view = render(
        <Profiler id="screen" onRender={() => (renders += 1)}>
          <App controller={controller} output={output} theme={createTheme(false)} />
        </Profiler>,
      );
    });
    const decoder = createKeyDecoder((events) => controller.keys(events, 0));
    // A running command and a long answer still streaming (its last paragraph is live).
    controller.applyThreadEvent(started(command("c1", "pnpm test", "line 1\nline 2")));
    for (let index = 0; index < 300; index += 1)
      controller.applyThreadEvent(delta("m1", `${index % 40 === 0 ? "\n\n" : " "}word${index}`));
    await act(async () => new Promise((resolve) => setTimeout(resolve, 20)));
    expect(view?.lastFrame()).toMatch(/word299/);

    const layoutsBefore = liveTailStats.layouts;
    const rendersBefore = renders;
    for (const char of "steer") {
      now += 7; // a key press comes with a new clock, within the same second of the command
      act(() => decoder.feed(char));
    }
    expect(view?.lastFrame()).toMatch(/› steer/);
    expect(renders - rendersBefore).toBe(5);
    expect(liveTailStats.layouts - layoutsBefore).toBe(0);

    // The running command's clock moving a second does lay the tail out again (at its demanded
    // height and at its share of the screen).
    now += 1_000;
    act(() => decoder.feed("!"));
    expect(view?.lastFrame()).toMatch(/└ 1 s/);
    expect(liveTailStats.layouts - layoutsBefore).toBeGreaterThan(0);
    expect(liveTailStats.layouts - layoutsBefore).toBeLessThanOrEqual(2);
    controller.dispose();
    view?.unmount();
  });
});
