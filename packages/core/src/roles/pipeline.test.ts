import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ModelStreamer } from "@hedge/gateway-client";
import type { ModelEvent } from "@hedge/model-spec";
import type { AgentEvent } from "../agent/events.js";
import type { ThreadItem } from "../agent/items.js";
import type { ToolHost } from "../agent/tool-host.js";
import type { QaVerdict } from "../qa/verdict.js";
import type { QaResult } from "../qa/verifier.js";
import { SessionFile } from "../session/session-file.js";
import { runRoleTurn, type RoleTurnContext } from "./pipeline.js";

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), "hedge-pipeline-"));
});
afterEach(() => {
  rmSync(home, { recursive: true, force: true });
});

/** A client whose every call is served by `anth` with profile `work` and answers "done". */
const executorClient: ModelStreamer = {
  async *stream() {
    await Promise.resolve();
    const events: ModelEvent[] = [
      {
        type: "route.selected",
        provider: "anth",
        model: "anth/sonnet",
        upstreamModel: "sonnet",
        credential: "profile:work",
        profile: "work",
      },
      { type: "text.delta", text: "done" },
      {
        type: "usage",
        usage: {
          input_tokens: 100,
          output_tokens: 10,
          cached_input_tokens: 50,
          reasoning_tokens: 4,
        },
      },
      { type: "finish", reason: "stop" },
    ];
    yield* events;
  },
};

const noTools: ToolHost = {
  specs: () => [],
  run: () => Promise.resolve({ content: "", isError: true }),
};

function context(verify: () => QaResult): RoleTurnContext {
  let item = 0;
  return {
    client: executorClient,
    instructions: "be brief",
    tools: noTools,
    orchestratorTools: noTools,
    session: SessionFile.create(home, { cwd: home, model: "sonnet" }),
    signal: new AbortController().signal,
    maxSteps: 4,
    compaction: { contextWindow: 1_000_000, threshold: 0.8 },
    nextItemId: () => `item_${item++}`,
    roles: {
      orchestrator: { model: "gpt" },
      executor: { model: "sonnet" },
      qa: { model: "haiku" },
    },
    decision: { mode: "executor", source: "default", reason: "small task" },
    turnId: "turn-1",
    escalateAfter: 3,
    maxEscalations: 1,
    qa: { maxRounds: 1, onError: "open", verify: () => Promise.resolve(verify()) },
  };
}

async function items(turn: AsyncGenerator<AgentEvent>): Promise<ThreadItem[]> {
  const seen: ThreadItem[] = [];
  for await (const event of turn) if (event.type === "item.completed") seen.push(event.item);
  return seen;
}

const pass: QaVerdict = { verdict: "pass", tasks: [], reason: "done" };

describe("runRoleTurn", () => {
  it("announces a profile switch when the QA pass is served by another profile", async () => {
    const seen = await items(
      runRoleTurn(
        { prompt: "fix it" },
        context(() => ({
          ok: true,
          verdict: pass,
          route: { provider: "anth", upstreamModel: "haiku", profile: "spare" },
        })),
      ),
    );
    expect(seen.map((item) => item.type)).toEqual([
      "route_decision",
      "profile_switch",
      "route_decision",
      "qa_verdict",
      "agent_message",
    ]);
    expect(seen[1]).toMatchObject({ provider: "anth", from: "work", to: "spare" });
    expect(seen[2]).toMatchObject({
      role: "qa",
      model: "haiku",
      profile: "spare",
      reason: "qa pass after the executor's answer",
    });
  });

  it("announces a profile switch the gateway made for the QA pass", async () => {
    const seen = await items(
      runRoleTurn(
        { prompt: "fix it" },
        context(() => ({
          ok: true,
          verdict: pass,
          route: {
            provider: "openai",
            upstreamModel: "mini",
            profile: "second",
            switchedFrom: "first",
            switchReason: "first is near its rate limit",
          },
        })),
      ),
    );
    expect(seen.filter((item) => item.type === "profile_switch")).toEqual([
      {
        id: expect.any(String) as string,
        type: "profile_switch",
        provider: "openai",
        from: "first",
        to: "second",
        reason: "first is near its rate limit",
      },
    ]);
  });

  it("adds every usage field of the QA pass to the turn's usage", async () => {
    const turn = runRoleTurn(
      { prompt: "fix it" },
      context(() => ({
        ok: true,
        verdict: pass,
        usage: { input_tokens: 7, output_tokens: 3, cached_input_tokens: 2, reasoning_tokens: 1 },
      })),
    );
    let completed: AgentEvent | undefined;
    for await (const event of turn) if (event.type === "turn.completed") completed = event;
    expect(completed).toEqual({
      type: "turn.completed",
      usage: {
        input_tokens: 107,
        cached_input_tokens: 52,
        cache_write_input_tokens: 0,
        output_tokens: 13,
        reasoning_output_tokens: 5,
      },
    });
  });
});
