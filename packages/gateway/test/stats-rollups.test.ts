import { afterEach, describe, expect, it } from "vitest";
import { makeTempHome, type TempHome } from "@hedge/testkit";
import { AuditRecorder } from "../src/engine/audit.js";
import { openStore } from "../src/store/open-store.js";
import type { AuditEntry, Store } from "../src/store/store.js";
import { statsView } from "../src/views/stats-view.js";

const NOW = Date.UTC(2030, 0, 10, 12, 0, 30);
const homes: TempHome[] = [];
const stores: Store[] = [];
afterEach(async () => {
  while (stores.length) await stores.pop()?.close();
  while (homes.length) await homes.pop()?.cleanup();
});

/** A SQLite state.db whose raw audit log keeps only the newest `keep` entries. */
async function smallLog(keep: number): Promise<Store> {
  const home = await makeTempHome();
  homes.push(home);
  const store = await openStore("sqlite", {
    home: home.path,
    auditMaxEntries: keep,
    now: () => NOW,
  });
  stores.push(store);
  return store;
}

/** Call `index` of many over the last three days: two roles, a QA verdict every tenth. */
function entry(index: number, count: number): AuditEntry {
  const at = NOW - Math.round(((count - index) / count) * 3 * 86_400_000);
  const verdict = index % 10 === 9;
  return {
    at,
    requestId: `r${index}`,
    model: "lab/m",
    attempts: [],
    excluded: [],
    outcome: "ok",
    call: verdict
      ? {
          model: "lab/qa",
          role: "qa",
          input_tokens: 0,
          cached_input_tokens: 0,
          output_tokens: 0,
          latency_ms: 0,
          tool_calls: 0,
          outcome: "ok",
          qa_verdict: "pass",
        }
      : {
          model: "lab/m",
          role: index % 2 ? "executor" : "orchestrator",
          provider: "lab",
          profile: index % 3 ? "a" : "b",
          input_tokens: 10,
          cached_input_tokens: 0,
          output_tokens: 2,
          latency_ms: 40,
          tool_calls: 1,
          outcome: index % 7 === 0 ? "upstream_error" : "ok",
        },
  };
}

async function record(store: Store, count: number): Promise<AuditEntry[]> {
  const recorder = new AuditRecorder(store, { maxBatch: 37 });
  const entries = Array.from({ length: count }, (_, index) => entry(index, count));
  for (const one of entries) recorder.add(one);
  await recorder.flush();
  return entries;
}

describe("hedge stats over a period the raw audit log no longer holds", () => {
  it("counts every call of the last week although the raw log kept the newest 50", async () => {
    const store = await smallLog(50);
    const entries = await record(store, 2000);
    expect((await store.listAudit({ since: 0 })).length).toBeLessThanOrEqual(50 + 36);
    const view = await statsView(store, { since: NOW - 7 * 86_400_000, by: "role" }, NOW);
    const calls = entries.filter((one) => !one.call?.qa_verdict);
    const byRole = Object.fromEntries(view.rows.map((row) => [row.key, row]));
    expect(view.source).toBe("rollups");
    expect(byRole["executor"]?.calls).toBe(
      calls.filter((one) => one.call?.role === "executor").length,
    );
    expect(byRole["orchestrator"]?.calls).toBe(
      calls.filter((one) => one.call?.role === "orchestrator").length,
    );
    expect(byRole["executor"]?.input_tokens).toBe(10 * (byRole["executor"]?.calls ?? 0));
    expect(byRole["qa"]?.qa.pass).toBe(200);
    const errors = calls.filter((one) => one.call?.outcome !== "ok").length;
    expect(view.rows.reduce((sum, row) => sum + row.errors, 0)).toBe(errors);
    expect(byRole["executor"]?.p50_latency_ms).toBe(50);
    const verdicts = await statsView(store, { since: NOW - 7 * 86_400_000, by: "verdict" }, NOW);
    expect(verdicts.rows.find((row) => row.key === "pass")?.qa.pass).toBe(200);
    expect(verdicts.rows.find((row) => row.key === "-")?.calls).toBe(calls.length);
  });

  it("answers from the raw log alone, with exact percentiles, while it holds everything", async () => {
    const store = await smallLog(10_000);
    await record(store, 300);
    const view = await statsView(store, { since: NOW - 7 * 86_400_000, by: "provider" }, NOW);
    expect(view.source).toBe("raw");
    expect(view.rows.find((row) => row.key === "lab")).toMatchObject({
      calls: 270,
      p50_latency_ms: 40,
    });
  });
});
