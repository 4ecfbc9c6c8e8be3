import { describe, expect, it } from "vitest";
import { parseDuration, parseResetTime } from "./reset-time.js";

const NOW = Date.parse("2025-10-01T12:00:00Z");

describe("parseDuration", () => {
  it("reads OpenAI's Go-style durations", () => {
    expect(parseDuration("6m0s")).toBe(360_000);
    expect(parseDuration("1s")).toBe(1000);
    expect(parseDuration("12ms")).toBe(12);
    expect(parseDuration("1h2m3.5s")).toBe(3_723_500);
    expect(parseDuration("0s")).toBe(0);
    expect(parseDuration("1.054s")).toBeCloseTo(1054);
    expect(parseDuration("500us")).toBeCloseTo(0.5);
  });

  it("reads a bare number as seconds", () => {
    expect(parseDuration("20")).toBe(20_000);
    expect(parseDuration(" 1.5 ")).toBe(1500);
  });

  it("rejects anything else without producing NaN", () => {
    for (const bad of ["", "  ", "abc", "6x", "-1s", "1s garbage", "s", "NaN", "1e3s", "6m 0s"]) {
      expect(parseDuration(bad), bad).toBeUndefined();
    }
  });
});

describe("parseResetTime", () => {
  it("prefers retry-after-ms, then retry-after in seconds or as an HTTP-date", () => {
    expect(parseResetTime({ "retry-after-ms": "1500", "retry-after": "30" }, NOW)).toBe(NOW + 1500);
    expect(parseResetTime({ "retry-after": "30" }, NOW)).toBe(NOW + 30_000);
    expect(parseResetTime({ "retry-after": "Wed, 01 Oct 2025 12:01:00 GMT" }, NOW)).toBe(
      NOW + 60_000,
    );
    // Provider-level advice beats any window header.
    expect(parseResetTime({ "retry-after": "2", "x-ratelimit-reset-tokens": "6m0s" }, NOW)).toBe(
      NOW + 2000,
    );
  });

  it("ignores bad retry-after values and falls through to the windows", () => {
    expect(parseResetTime({ "retry-after": "soon" }, NOW)).toBeUndefined();
    expect(parseResetTime({ "retry-after": "-5" }, NOW)).toBeUndefined();
    expect(parseResetTime({ "retry-after-ms": "NaN", "retry-after": "1" }, NOW)).toBe(NOW + 1000);
    expect(
      parseResetTime({ "retry-after": "bogus", "x-ratelimit-reset-requests": "1s" }, NOW),
    ).toBe(NOW + 1000);
  });

  it("takes the later reset among exhausted OpenAI windows", () => {
    const headers = {
      "x-ratelimit-remaining-requests": "0",
      "x-ratelimit-reset-requests": "12ms",
      "x-ratelimit-remaining-tokens": "40000",
      "x-ratelimit-reset-tokens": "6m0s",
    };
    expect(parseResetTime(headers, NOW)).toBe(NOW + 12);
  });

  it("takes the latest reset when it cannot tell which window is exhausted", () => {
    const headers = { "x-ratelimit-reset-requests": "1s", "x-ratelimit-reset-tokens": "6m0s" };
    expect(parseResetTime(headers, NOW)).toBe(NOW + 360_000);
  });

  it("reads Anthropic's RFC 3339 resets, choosing the exhausted window", () => {
    const headers = {
      "anthropic-ratelimit-requests-remaining": "10",
      "anthropic-ratelimit-requests-reset": "2025-10-01T12:00:05Z",
      "anthropic-ratelimit-input-tokens-remaining": "0",
      "anthropic-ratelimit-input-tokens-reset": "2025-10-01T12:00:30Z",
      "anthropic-ratelimit-output-tokens-remaining": "0",
      "anthropic-ratelimit-output-tokens-reset": "2025-10-01T12:00:20.500Z",
      "anthropic-ratelimit-tokens-reset": "2025-10-01T12:05:00Z",
    };
    expect(parseResetTime(headers, NOW)).toBe(NOW + 30_000);
  });

  it("reads Anthropic unified (subscription) resets as epoch seconds", () => {
    const at = NOW / 1000 + 3600;
    expect(parseResetTime({ "anthropic-ratelimit-unified-reset": String(at) }, NOW)).toBe(
      at * 1000,
    );
    const headers = {
      "anthropic-ratelimit-unified-5h-status": "rejected",
      "anthropic-ratelimit-unified-5h-reset": String(at),
      "anthropic-ratelimit-unified-7d-status": "allowed",
      "anthropic-ratelimit-unified-7d-reset": String(at + 86_400),
    };
    expect(parseResetTime(headers, NOW)).toBe(at * 1000);
  });

  it("reads Codex window resets, exhausted by used percent", () => {
    const headers = {
      "x-codex-primary-used-percent": "100",
      "x-codex-primary-reset-at": String(NOW / 1000 + 900),
      "x-codex-secondary-used-percent": "40",
      "x-codex-secondary-reset-at": String(NOW / 1000 + 86_400),
    };
    expect(parseResetTime(headers, NOW)).toBe(NOW + 900_000);
    expect(parseResetTime({ "x-codex-primary-reset-after-seconds": "120" }, NOW)).toBe(
      NOW + 120_000,
    );
  });

  it("reads x-ratelimit-reset as epoch seconds (or milliseconds, or a small delta)", () => {
    expect(parseResetTime({ "x-ratelimit-reset": String(NOW / 1000 + 60) }, NOW)).toBe(
      NOW + 60_000,
    );
    expect(parseResetTime({ "x-ratelimit-reset": String(NOW + 5000) }, NOW)).toBe(NOW + 5000);
    expect(parseResetTime({ "x-ratelimit-reset": "30" }, NOW)).toBe(NOW + 30_000);
  });

  it("matches header names case-insensitively and takes the first of repeated values", () => {
    expect(parseResetTime({ "Retry-After": ["3", "9"] }, NOW)).toBe(NOW + 3000);
  });

  it("never returns a time before now", () => {
    expect(
      parseResetTime({ "anthropic-ratelimit-requests-reset": "2025-10-01T11:00:00Z" }, NOW),
    ).toBe(NOW);
    expect(parseResetTime({ "retry-after": "Wed, 01 Oct 2025 11:00:00 GMT" }, NOW)).toBe(NOW);
  });

  it("returns undefined when nothing parses, never NaN", () => {
    expect(parseResetTime({}, NOW)).toBeUndefined();
    expect(
      parseResetTime(
        {
          "x-ratelimit-reset-tokens": "later",
          "anthropic-ratelimit-tokens-reset": "1",
          "anthropic-ratelimit-unified-reset": "tomorrow",
          "x-codex-primary-reset-at": "",
          "x-ratelimit-reset": "-1",
          "content-type": "application/json",
          "x-empty": undefined,
        },
        NOW,
      ),
    ).toBeUndefined();
  });
});
