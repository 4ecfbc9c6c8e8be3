import { describe, expect, it } from "vitest";
import * as undici from "undici";
import { Agent, errors } from "./undici-lite.js";

describe("the gateway's slice of undici", () => {
  it("is undici's own Agent and error classes, so instanceof checks and dispatch behave alike", () => {
    expect(Agent).toBe(undici.Agent);
    expect(errors.RequestAbortedError).toBe(undici.errors.RequestAbortedError);
    const agent = new Agent({ connections: 1 });
    expect(typeof agent.dispatch).toBe("function");
    void agent.close();
  });
});
