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

// Bodies as the providers send them (the testkit's providerRefusals has the same).
const openAiInvalidKey = {
  error: {
    message: "Incorrect API key provided: sk-proj-****abcd.",
    type: "invalid_request_error",
    param: null,
    code: "invalid_api_key",
  },
};
const anthropicInvalidKey = {
  type: "error",
  error: { type: "authentication_error", message: "invalid x-api-key" },
};
const openAiModelAccess = {
  error: {
    message: "Project `proj_abc` does not have access to model `gpt-x`",
    type: "invalid_request_error",
    param: null,
    code: "model_not_found",
  },
};
const anthropicPermission = {
  type: "error",
  error: {
    type: "permission_error",
    message: "Your API key does not have permission to use the specified resource.",
  },
};
const openAiRegion = {
  error: {
    code: "unsupported_country_region_territory",
    message: "Country, region, or territory not supported",
    param: null,
    type: "request_forbidden",
  },
};

describe("classifyFailure: refusals (401/403)", () => {
  it.each([
    ["OpenAI 401 invalid_api_key", 401, openAiInvalidKey],
    ["Anthropic 401 authentication_error", 401, anthropicInvalidKey],
    ["a bare 401", 401, "Unauthorized"],
    ["a plain-text 403 naming a bad key", 403, "Invalid API key"],
  ])("%s: the credential is marked invalid, for the whole route", (_name, status, body) => {
    expect(classifyFailure({ status, body }, NOW)).toMatchObject({
      kind: "credential",
      scope: "route",
      cooldownUntil: NOW + HOUR,
    });
  });

  it.each([
    ["OpenAI 403 model_not_found", openAiModelAccess],
    ["Anthropic 403 permission_error", anthropicPermission],
    [
      "a 403 from another gateway quoting its upstream's refused key",
      {
        error: {
          message: "every route failed; last: openai: Incorrect API key provided",
          type: "permission_error",
          code: "routes_exhausted",
        },
      },
    ],
  ])("%s: a permission for the model asked, never the key", (_name, body) => {
    expect(classifyFailure({ status: 403, body }, NOW)).toMatchObject({
      kind: "permission",
      scope: "model",
    });
  });

  it("an unsupported region holds for the route, not as an invalid key", () => {
    const body = openAiRegion;
    expect(classifyFailure({ status: 403, body }, NOW)).toMatchObject({
      kind: "permission",
      scope: "route",
    });
  });

  it("a keyless route's 401 or 403 marks nothing", () => {
    for (const status of [401, 403]) {
      const failure = classifyFailure({ status, body: "Unauthorized", keyless: true }, NOW);
      expect(failure.kind).toBe("permission");
      expect(failure.cooldownUntil).toBeUndefined();
    }
  });
});

describe("classifyFailure: the scope of a rate limit", () => {
  it("is the model family, unless an account window is spent", () => {
    expect(classifyFailure({ status: 429, headers: { "retry-after": "3" } }, NOW).scope).toBe(
      "family",
    );
    const unified = { "anthropic-ratelimit-unified-status": "rejected", "retry-after": "60" };
    expect(classifyFailure({ status: 429, headers: unified }, NOW).scope).toBe("route");
    const codex = { "x-codex-primary-used-percent": "100", "retry-after": "60" };
    expect(classifyFailure({ status: 429, headers: codex }, NOW).scope).toBe("route");
    const usageLimit = { error: { type: "usage_limit_reached", resets_in_seconds: 60 } };
    expect(classifyFailure({ status: 429, body: usageLimit }, NOW).scope).toBe("route");
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
