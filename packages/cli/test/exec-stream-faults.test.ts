import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ScriptReply } from "@hedge/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { execFixture, parseJsonl, type ExecFixture } from "./exec-helpers.js";
import { runHedge } from "./run-hedge.js";

let fixture: ExecFixture | undefined;
afterEach(async () => {
  await fixture?.cleanup();
  fixture = undefined;
});

/** The provider `lab` speaking `wire` to the scripted upstream. */
async function labOn(wire: "chat" | "responses" | "messages"): Promise<ExecFixture> {
  const created = await execFixture();
  const config = join(created.home.path, "config.toml");
  writeFileSync(config, readFileSync(config, "utf8").replace('wire = "chat"', `wire = "${wire}"`));
  return created;
}

const TERMINAL = { chat: "[DONE]", responses: "response.completed", messages: "message_stop" };

const FAULTS: [string, ScriptReply, (wire: keyof typeof TERMINAL) => string][] = [
  [
    "a malformed event, then the rest of the stream",
    // An event whose data is cut JSON, then the normal events and the terminal one.
    { text: "half an answer that must not count", malformedChunkAt: 2 },
    () => "the stream from lab broke the wire format: an event's data is not a JSON object",
  ],
  [
    "a clean end without the terminal event",
    { text: "an answer that never finished", omitTerminalEvent: true },
    (wire) => `the stream from lab ended without ${TERMINAL[wire]}`,
  ],
];

describe.each(["chat", "responses", "messages"] as const)(
  "an upstream %s stream that breaks",
  (wire) => {
    it.each(FAULTS)(
      "%s fails the turn with exit 1 naming the provider",
      async (_name, reply, message) => {
        fixture = await labOn(wire);
        fixture.upstream.push(reply);
        const run = await runHedge(["exec", "--json", "say something"], {
          env: fixture.env,
          cwd: fixture.repo.path,
        });
        expect(run.code, run.stderr).toBe(1);
        expect(fixture.upstream.requests).toHaveLength(1);
        expect(fixture.upstream.requests[0]?.path).toBe(
          { chat: "/v1/chat/completions", responses: "/v1/responses", messages: "/v1/messages" }[
            wire
          ],
        );
        const events = parseJsonl(run.stdout);
        expect(events.at(-1)).toEqual({
          type: "turn.failed",
          error: { message: `model error: ${message(wire)}` },
        });
        expect(events.some((event) => event.type === "turn.completed")).toBe(false);

        fixture.upstream.push(reply);
        const human = await runHedge(["exec", "say something"], {
          env: fixture.env,
          cwd: fixture.repo.path,
        });
        expect(human.code).toBe(1);
        expect(human.stdout).toBe("");
        expect(human.stderr).toContain(`turn failed: model error: ${message(wire)}`);
      },
    );
  },
);
