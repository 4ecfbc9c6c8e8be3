import { describe, expect, it } from "vitest";
import {
  canAttempt,
  closedBreaker,
  recordFailure,
  recordSuccess,
  type BreakerConfig,
  type BreakerState,
} from "./breaker.js";

const config: Partial<BreakerConfig> = {
  failureThreshold: 3,
  failureRatio: 0.5,
  minCalls: 6,
  windowMs: 10_000,
  cooldownMs: 1000,
  probeTimeoutMs: 5000,
};

function failTimes(state: BreakerState | undefined, times: number, at: number): BreakerState {
  let current = state ?? closedBreaker();
  for (let i = 0; i < times; i += 1) current = recordFailure(current, at, config);
  return current;
}

describe("breaker", () => {
  it("starts closed when the store has no state and lets requests through", () => {
    expect(canAttempt(undefined, 0, config)).toEqual({
      allowed: true,
      probe: false,
      state: closedBreaker(),
    });
  });

  it("opens after N consecutive failures and refuses until the cooldown passes", () => {
    const two = failTimes(undefined, 2, 100);
    expect(two.state).toBe("closed");
    const open = recordFailure(two, 100, config);
    expect(open).toMatchObject({ state: "open", openedAt: 100, consecutiveFailures: 3 });
    const refused = canAttempt(open, 1099, config);
    expect(refused.allowed).toBe(false);
    // Nothing changed, so the caller can skip the store write.
    expect(refused.state).toBe(open);
  });

  it("a success ends the streak", () => {
    const state = recordSuccess(failTimes(undefined, 2, 0), 1, config);
    expect(state.consecutiveFailures).toBe(0);
    expect(failTimes(state, 2, 2).state).toBe("closed");
  });

  it("opens on the failure ratio over at least minCalls in the window", () => {
    let state: BreakerState = closedBreaker();
    // ok, fail, ok, fail, ok: 2 of 5 failed and never 3 in a row.
    for (const ok of [true, false, true, false, true]) {
      state = ok ? recordSuccess(state, 0, config) : recordFailure(state, 0, config);
    }
    expect(state.state).toBe("closed");
    state = recordFailure(state, 0, config); // 3 of 6 = 0.5
    expect(state.state).toBe("open");
  });

  it("forgets outcomes older than the window", () => {
    let state: BreakerState = closedBreaker();
    for (const ok of [false, true, false, true, false]) {
      state = ok ? recordSuccess(state, 0, config) : recordFailure(state, 0, config);
    }
    state = recordSuccess(state, 0, config);
    // The old failures fell out of the window: one failure in two calls is below minCalls.
    state = recordFailure(state, 20_000, config);
    expect(state.state).toBe("closed");
    expect(state.window).toEqual([{ at: 20_000, ok: false }]);
  });

  it("keeps the window bounded", () => {
    let state: BreakerState = closedBreaker();
    for (let i = 0; i < 50; i += 1) state = recordSuccess(state, i, { ...config, maxSamples: 8 });
    expect(state.window).toHaveLength(8);
    expect(state.window[0]?.at).toBe(42);
  });

  it("after the cooldown allows exactly one probe until it reports or times out", () => {
    const open = failTimes(undefined, 3, 0);
    const first = canAttempt(open, 1000, config);
    expect(first).toMatchObject({ allowed: true, probe: true });
    expect(first.state).toMatchObject({ state: "half_open", probeInFlightUntil: 6000 });

    const second = canAttempt(first.state, 1001, config);
    expect(second).toMatchObject({ allowed: false, probe: false });
    expect(second.state).toBe(first.state);

    // The probe never reported: after its timeout another one may go.
    const retry = canAttempt(first.state, 6000, config);
    expect(retry).toMatchObject({ allowed: true, probe: true });
    expect(retry.state.probeInFlightUntil).toBe(11_000);
  });

  it("a successful probe closes and clears the breaker", () => {
    const probing = canAttempt(failTimes(undefined, 3, 0), 1000, config).state;
    const closed = recordSuccess(probing, 1500, config);
    expect(closed).toEqual(closedBreaker());
    expect(canAttempt(closed, 1501, config)).toMatchObject({ allowed: true, probe: false });
  });

  it("a failed probe re-opens with a fresh cooldown", () => {
    const probing = canAttempt(failTimes(undefined, 3, 0), 1000, config).state;
    const reopened = recordFailure(probing, 1500, config);
    expect(reopened).toMatchObject({ state: "open", openedAt: 1500 });
    expect(reopened.probeInFlightUntil).toBeUndefined();
    expect(canAttempt(reopened, 2499, config).allowed).toBe(false);
    expect(canAttempt(reopened, 2500, config)).toMatchObject({ allowed: true, probe: true });
  });

  it("ignores late reports while open", () => {
    const open = failTimes(undefined, 3, 0);
    expect(recordSuccess(open, 10, config)).toBe(open);
    expect(recordFailure(open, 10, config)).toBe(open);
  });

  it("round-trips through JSON, as the Store keeps it", () => {
    const probing = canAttempt(failTimes(undefined, 3, 0), 1000, config).state;
    const stored = JSON.parse(JSON.stringify(probing)) as BreakerState;
    expect(stored).toEqual(probing);
    expect(canAttempt(stored, 1001, config).allowed).toBe(false);
  });

  it("uses the documented defaults when no config is given", () => {
    let state: BreakerState | undefined;
    for (let i = 0; i < 4; i += 1) state = recordFailure(state, 0);
    expect(state?.state).toBe("closed");
    state = recordFailure(state, 0);
    expect(state.state).toBe("open");
    expect(canAttempt(state, 29_999).allowed).toBe(false);
    expect(canAttempt(state, 30_000).allowed).toBe(true);
  });
});
