import { afterEach, describe, expect, it } from "vitest";
import { labProvider, openAiError, startHarness, type Harness } from "./routing-harness.js";

// `previous_response_id` points at turns kept in OpenAI's response store. Translated to another
// wire they would be silently missing, so the gateway refuses instead; same-wire routes pass it on.
describe("a Responses request with previous_response_id", () => {
  let harness: Harness<"chat" | "responses"> | undefined;
  afterEach(async () => {
    await harness?.close();
  });

  const body = (model: string) => ({
    model,
    previous_response_id: "resp_123",
    input: [{ type: "message", role: "user", content: "and then?" }],
  });

  it("is refused with a clear 400 when the route translates it", async () => {
    harness = await startHarness({
      upstreams: ["chat", "responses"],
      providers: (urls) => ({
        lab: labProvider(urls.chat),
        stored: labProvider(urls.responses, { wire: "responses" }),
      }),
    });
    const response = await harness.post("/v1/responses", body("lab/m"));
    expect(response.status).toBe(400);
    const error = await openAiError(response);
    expect(error.type).toBe("invalid_request_error");
    expect(error.message).toContain("previous_response_id");
    expect(error.message).toContain("whole conversation in `input`");
    expect(harness.up.chat.requests).toHaveLength(0);
  });

  it("passes through untouched to a Responses upstream", async () => {
    harness = await startHarness({
      upstreams: ["chat", "responses"],
      providers: (urls) => ({
        lab: labProvider(urls.chat),
        stored: labProvider(urls.responses, { wire: "responses" }),
      }),
    });
    harness.up.responses.push({ text: "continued" });
    const response = await harness.post("/v1/responses", body("stored/m"));
    expect(response.status).toBe(200);
    const sent = harness.up.responses.requests[0]?.body as { previous_response_id?: string };
    expect(sent.previous_response_id).toBe("resp_123");
  });
});
