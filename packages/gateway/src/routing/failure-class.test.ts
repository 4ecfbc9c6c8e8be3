import { describe, expect, it } from "vitest";
import { classifyFailure, DEFAULT_FAILURE_COOLDOWNS } from "./failure-class.js";

const NOW = 1_759_320_000_000;
const HOUR = 3_600_000;

const openAIRateLimit = {
  error: {
    message:
      "Rate limit reached for gpt-4o in organization org-x on tokens per min (TPM): Limit 30000, Used 29000, Requested 2000. Please try again in 2.5s. Visit https://platform.openai.com/account/rate-limits to learn more. You can increase your rate limit by adding a payment method to your account at https://platform.openai.com/account/billing.",
    type: "tokens",
    param: null,
    code: "rate_limit_exceeded",
  },
};
const openAIQuota = {
  error: {
    message:
      "You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs.",
    type: "insufficient_quota",
    param: null,
    code: "insufficient_quota",
  },
};
const anthropicCredit = {
  type: "error",
  error: {
    type: "invalid_request_error",
    message:
      "Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.",
  },
};

describe("classifyFailure: transient", () => {
  it.each([500, 502, 503, 504, 529, 408, 409])("retries %i on the same route", (status) => {
    const failure = classifyFailure({ status, body: "upstream went away" }, NOW);
    expect(failure).toMatchObject({ kind: "transient", retrySameRoute: true });
    expect(failure.cooldownUntil).toBeUndefined();
    expect(failure.reason).toContain(String(status));
  });

  it.each(["ECONNRESET", "ECONNREFUSED", "ETIMEDOUT", "UND_ERR_HEADERS_TIMEOUT", "AbortError"])(
    "retries network failure %s on the same route",
    (errorCode) => {
      expect(classifyFailure({ errorCode }, NOW)).toMatchObject({
        kind: "transient",
        retrySameRoute: true,
        reason: `network failure: ${errorCode}`,
      });
    },
  );

  it("moves on after an unknown local error instead of repeating it", () => {
    expect(classifyFailure({ errorCode: "ERR_INVALID_URL" }, NOW)).toMatchObject({
      kind: "transient",
      retrySameRoute: false,
    });
  });

  it("honours a retry-after on an overloaded provider", () => {
    const soon = classifyFailure({ status: 529, headers: { "retry-after": "2" } }, NOW);
    expect(soon).toMatchObject({
      kind: "transient",
      retrySameRoute: true,
      cooldownUntil: NOW + 2000,
    });
    // Waiting 30 s on one route is worse than trying the next one now.
    const later = classifyFailure({ status: 503, headers: { "retry-after": "30" } }, NOW);
    expect(later).toMatchObject({ retrySameRoute: false, cooldownUntil: NOW + 30_000 });
  });

  it("judges an error event inside a 200 stream by its type", () => {
    const overloaded = {
      type: "error",
      error: { type: "overloaded_error", message: "Overloaded" },
    };
    expect(classifyFailure({ status: 200, body: overloaded }, NOW).kind).toBe("transient");
    expect(classifyFailure({ body: { error: { type: "rate_limit_error" } } }, NOW).kind).toBe(
      "rate_limited",
    );
    expect(classifyFailure({}, NOW)).toMatchObject({
      kind: "transient",
      reason: "unknown upstream failure",
    });
  });
});

describe("classifyFailure: rate limits", () => {
  it("cools down until the provider's reset", () => {
    const failure = classifyFailure(
      {
        status: 429,
        body: { type: "error", error: { type: "rate_limit_error", message: "slow down" } },
        headers: { "retry-after": "17" },
      },
      NOW,
    );
    expect(failure).toMatchObject({
      kind: "rate_limited",
      retrySameRoute: false,
      cooldownUntil: NOW + 17_000,
    });
    expect(failure.reason).toMatch(/^rate limited \(429: slow down\); cooldown 17s/);
  });

  it("is not fooled by a billing link in an ordinary OpenAI rate-limit message", () => {
    const failure = classifyFailure({ status: 429, body: JSON.stringify(openAIRateLimit) }, NOW);
    expect(failure.kind).toBe("rate_limited");
    // No headers: the wait is read from the message.
    expect(failure.cooldownUntil).toBe(NOW + 2500);
  });

  it("uses the default cooldown when nothing names a reset, and caps absurd ones", () => {
    expect(classifyFailure({ status: 429 }, NOW).cooldownUntil).toBe(
      NOW + DEFAULT_FAILURE_COOLDOWNS.rateLimitMs,
    );
    expect(classifyFailure({ status: 429 }, NOW, { rateLimitMs: 5000 }).cooldownUntil).toBe(
      NOW + 5000,
    );
    const capped = classifyFailure({ status: 429, headers: { "retry-after": "99999999" } }, NOW);
    expect(capped.cooldownUntil).toBe(NOW + DEFAULT_FAILURE_COOLDOWNS.maxCooldownMs);
  });
});

describe("classifyFailure: quota and billing", () => {
  it("treats OpenAI insufficient_quota as quota even with status 429", () => {
    const failure = classifyFailure({ status: 429, body: openAIQuota }, NOW);
    expect(failure).toMatchObject({
      kind: "quota",
      retrySameRoute: false,
      cooldownUntil: NOW + HOUR,
    });
    expect(failure.reason).toContain("exceeded your current quota");
  });

  it("reads insufficient_quota from the code alone", () => {
    const body = { error: { message: "quota", type: "requests", code: "insufficient_quota" } };
    expect(classifyFailure({ status: 429, body }, NOW).kind).toBe("quota");
  });

  it("treats Anthropic's low credit balance (a 400) as quota, not a caller fault", () => {
    expect(classifyFailure({ status: 400, body: JSON.stringify(anthropicCredit) }, NOW).kind).toBe(
      "quota",
    );
  });

  it("treats 402, billing_error and other providers' balance errors as quota", () => {
    expect(classifyFailure({ status: 402, body: "Insufficient Balance" }, NOW).kind).toBe("quota");
    const billing = { type: "error", error: { type: "billing_error", message: "billing" } };
    expect(classifyFailure({ status: 400, body: billing }, NOW).kind).toBe("quota");
    expect(classifyFailure({ body: billing }, NOW).kind).toBe("quota");
    const dashscope = { code: "Arrearage", message: "Access denied, account in arrears" };
    expect(classifyFailure({ status: 400, body: dashscope }, NOW).kind).toBe("quota");
    const zhipu = {
      error: { code: "1113", message: "Insufficient balance or no resource package." },
    };
    expect(classifyFailure({ status: 429, body: zhipu }, NOW).kind).toBe("quota");
  });

  it("uses the configured quota cooldown", () => {
    expect(classifyFailure({ status: 402 }, NOW, { quotaMs: 10 * HOUR }).cooldownUntil).toBe(
      NOW + 10 * HOUR,
    );
  });
});

describe("classifyFailure: credentials", () => {
  it.each([401, 403])("marks the credential invalid on %i", (status) => {
    const body = { error: { type: "authentication_error", message: "invalid x-api-key" } };
    const failure = classifyFailure({ status, body }, NOW, { credentialMs: 2 * HOUR });
    expect(failure).toMatchObject({
      kind: "credential",
      retrySameRoute: false,
      cooldownUntil: NOW + 2 * HOUR,
    });
    expect(failure.reason).toContain("invalid x-api-key");
  });
});

describe("classifyFailure: caller faults", () => {
  it.each([400, 404, 413, 422])("returns %i to the caller without retrying", (status) => {
    const body = {
      error: { type: "invalid_request_error", message: "prompt is too long: 210000 tokens" },
    };
    const failure = classifyFailure({ status, body }, NOW);
    expect(failure).toEqual({
      kind: "caller",
      retrySameRoute: false,
      reason: `request rejected (${status}: prompt is too long: 210000 tokens)`,
    });
  });

  it("keeps the reason to one short line whatever the body", () => {
    const html = `<html>\n<body>\n${"x".repeat(5000)}\n</body>\n</html>`;
    const { reason } = classifyFailure({ status: 400, body: html }, NOW);
    expect(reason).not.toContain("\n");
    expect(reason.length).toBeLessThan(220);
  });
});
