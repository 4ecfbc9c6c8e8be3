import { describe, expect, it } from "vitest";
import { Wakeup } from "./wakeup.js";

const HOUR = 3_600_000;

describe("the main loop's wakeup", () => {
  it("a run that ends while the loop is busy still wakes its next sleep (no wait for the tick)", async () => {
    const wakeup = new Wakeup();
    // The nudge lands during a dispatch pass, before the loop goes back to sleep.
    wakeup.nudge();
    await expect(wakeup.sleep(HOUR)).resolves.toBeUndefined();
  });

  it("a nudge wakes a loop that is already asleep", async () => {
    const wakeup = new Wakeup();
    const asleep = wakeup.sleep(HOUR);
    wakeup.nudge();
    await expect(asleep).resolves.toBeUndefined();
  });

  it("a burst of nudges is one wake: the sleep after it waits for its own nudge", async () => {
    const wakeup = new Wakeup();
    wakeup.nudge();
    wakeup.nudge();
    await wakeup.sleep(HOUR);
    let woke = false;
    const asleep = wakeup.sleep(HOUR).then(() => (woke = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(woke).toBe(false);
    wakeup.nudge();
    await asleep;
    expect(woke).toBe(true);
  });
});
