import type { RouteExplanationView, RouteQuery, UsageReportView } from "@hedge/model-spec";
import { afterEach, describe, expect, it } from "vitest";
import { applyPin } from "../src/thread/profile-pin.js";
import { ROUTE_HEADERS, drain, threadOn, threadRig, type ThreadRig } from "./thread-harness.js";

let rig: ThreadRig | undefined;
afterEach(async () => {
  await rig?.cleanup();
  rig = undefined;
});

/** The user's profiles, as a hedge gateway lists them: two lab logins, one elsewhere, one denied. */
const PROFILES: [string, string][] = [
  ["work", "lab"],
  ["personal", "lab"],
  ["eu-only", "lab"],
  ["other", "elsewhere"],
];

/** What a hedge gateway answers: routes per provider; policy refuses the `eu-only` login. */
const routing = {
  usage: (): Promise<UsageReportView> =>
    Promise.resolve({
      store: "memory",
      switch_below: 0.1,
      profiles: PROFILES.map(([profile, provider]) => ({
        profile,
        provider,
        kind: "api-key",
        left: 1,
        windows: [],
        cooldown: null,
        last_switch: null,
      })),
    }),
  explain: (query: RouteQuery): Promise<RouteExplanationView> => {
    const provider = query.model.split("/")[0] ?? "";
    const denied = query.profiles?.includes("eu-only");
    return Promise.resolve({
      model: query.model,
      strategy: "priority",
      sticky: null,
      routes: denied
        ? []
        : [
            {
              route: `${provider}:profile`,
              provider,
              model: query.model.split("/")[1] ?? "",
              class: "local",
              region: "us",
              credential: "profile",
              order: 1,
            },
          ],
      ruled_out: denied
        ? [{ route: `${provider}:eu-only`, provider, excluded: "region eu is not allowed" }]
        : [],
      error: denied
        ? { code: "policy_denied", message: "region eu is not allowed by [policy] allow_regions" }
        : null,
    });
  },
};

describe("Thread: the session's pinned profile", () => {
  it("/profile pins a login: the next request of a role on its provider carries it alone", async () => {
    const current = (rig = await threadRig(() => ({ text: "Done.", headers: ROUTE_HEADERS }), {
      routing,
      // The repository's config chose another of the user's lab logins for the executor.
      config: { roles: { profiles: { executor: ["personal"] } } },
    }));
    await drain(current.thread.run({ prompt: "first" }));
    expect(current.sent[0]?.metadata.profiles).toEqual(["personal"]);

    const notice = await current.thread.pinProfile("work");
    expect(notice.type === "item.completed" && notice.item).toMatchObject({ type: "notice" });
    expect(JSON.stringify(notice)).toContain(
      "profile work pinned (lab: orchestrator, executor, qa)",
    );
    expect(current.thread.state().pinnedProfile).toBe("work");
    await drain(current.thread.run({ prompt: "second" }));
    expect(current.sent[1]?.metadata.profiles).toEqual(["work"]);
  });

  it("--profile at start sets the same pin, and a repository's role pool cannot override it", async () => {
    const current = (rig = await threadRig(() => ({ text: "Done." }), {
      routing,
      flags: { profile: "work" },
      config: { roles: { profiles: { executor: ["personal"] } } },
    }));
    expect(current.thread.state().pinnedProfile).toBe("work");
    await drain(current.thread.run({ prompt: "go" }));
    expect(current.sent[0]?.metadata.profiles).toEqual(["work"]);
  });

  it("a profile that does not exist, or that policy denies, is refused in one line and changes nothing", async () => {
    const current = (rig = await threadRig(() => ({ text: "Done." }), { routing }));
    const unknown = await current.thread.pinProfile("nope").catch((error: unknown) => error);
    expect(unknown).toMatchObject({ message: 'no profile "nope"' });
    expect((unknown as { hint?: string }).hint).toContain("work, personal");
    const denied = await current.thread.pinProfile("eu-only").catch((error: unknown) => error);
    expect(denied).toMatchObject({ code: "profile_refused" });
    expect((denied as Error).message).toContain("region eu is not allowed");
    expect(current.thread.state().pinnedProfile).toBeUndefined();
    await drain(current.thread.run({ prompt: "go" }));
    expect(current.sent[0]?.metadata.profiles).toBeUndefined();
  });

  it("the pin applies to the roles on its provider; roles on other providers keep their pools", async () => {
    const roles = {
      orchestrator: { model: "elsewhere/planner", profiles: ["other"] },
      executor: { model: "lab/coder" },
      qa: { model: "lab/checker", profiles: ["personal"] },
    };
    const pinned = await applyPin(routing as never, roles, { profile: "work", provider: "lab" });
    expect(pinned).toEqual({
      orchestrator: { model: "elsewhere/planner", profiles: ["other"] },
      executor: { model: "lab/coder", profiles: ["work"] },
      qa: { model: "lab/checker", profiles: ["work"] },
    });
  });
});

describe("Thread: a resumed session keeps its routes", () => {
  it("resume restores each role's last route; ask sticks to it, read-only while another thread holds the session", async () => {
    const current = (rig = await threadRig((request) => ({
      text: request.lastUserText.includes("side") ? "Aside." : "Done.",
      headers: ROUTE_HEADERS,
    })));
    await drain(current.thread.run({ prompt: "work on it" }));
    await current.thread.close();

    const resumed = threadOn({
      url: current.upstream.url,
      home: current.home.path,
      cwd: current.workspace.path,
      sent: current.sent,
      deps: { resume: { id: current.thread.id } },
    });
    try {
      expect(resumed.state().roles.executor.route).toMatchObject({
        provider: "lab",
        profile: "work",
      });
      // Another process (`hedge ask`) reads the session while this thread holds it.
      const asker = threadOn({
        url: current.upstream.url,
        home: current.home.path,
        cwd: current.workspace.path,
        sent: current.sent,
        deps: { resume: { id: current.thread.id }, readOnly: true },
      });
      const events = await drain(asker.ask("a side question"));
      await asker.close();
      expect(events.at(-1)).toMatchObject({
        item: { type: "aside", text: "Aside.", profile: "work" },
      });
      expect(current.sent.at(-1)?.metadata).toMatchObject({ profiles: ["work"], role: "executor" });
      expect(current.sent.at(-1)?.model).toBe("lab/coder");
    } finally {
      await resumed.close();
    }
  });
});
