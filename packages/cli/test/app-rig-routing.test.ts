// The whole app on hedge's own gateway in-process and the scripted upstream: /profile pins a
// login, /model shows each model's policy state, /compact compacts the conversation now.
import { afterEach, describe, expect, it } from "vitest";
import { AppRig, waitForFile, type AppRigOptions } from "./app-rig.js";

const WORK_KEY = "sk-work-1f2e3d4c5b6a7980";
const PERSONAL_KEY = "sk-personal-0a9b8c7d6e5f4321";

const rigs: AppRig[] = [];
afterEach(async () => {
  for (const rig of rigs.splice(0)) {
    rig.release("never");
    await rig.stop();
  }
});

async function start(options: AppRigOptions): Promise<AppRig> {
  const rig = await AppRig.start(options);
  rigs.push(rig);
  return rig;
}

const idle = (rig: AppRig) => () => rig.controller.store.getState().phase === "idle";

/** The key the upstream's last request carried. */
const lastKey = (rig: AppRig) =>
  rig.upstream.requests.at(-1)?.headers["authorization"]?.replace(/^Bearer /, "");

const PROFILES: [string, string][] = [
  ["work", WORK_KEY],
  ["personal", PERSONAL_KEY],
];

describe("the app on hedge's gateway: profiles, models, compaction", () => {
  it("/profile lists the profiles, pins one from the next request, says so, and refuses an unknown one", async () => {
    const rig = await start({
      width: 140,
      gateway: { profiles: PROFILES },
      replies: [
        { text: "first done" },
        { text: "second done" },
        { toolCalls: [waitForFile("never")] },
      ],
    });
    rig.keys("first\r");
    await rig.waitForText(/first done/);
    await rig.waitFor(idle(rig), "idle");
    expect(lastKey(rig)).toBe(WORK_KEY);

    rig.keys("/profile\r");
    await rig.waitForText(/Pin a profile/);
    // The one serving the session now is marked.
    expect(rig.text()).toMatch(/work ✓\s+lab · api-key · no limits seen yet/);
    expect(rig.text()).toMatch(/personal\s+lab · api-key · no limits seen yet/);
    rig.keys("\x1b");
    await rig.waitFor(() => !/Pin a profile/.test(rig.text()), "the picker closed");

    rig.keys("/profile personal\r");
    await rig.waitForText(/profile personal pinned \(lab: orchestrator, executor, qa\)/);
    // The status line (the screen's last line) names the pin.
    await rig.waitFor(
      () => /personal( \(pinned\)| pinned)/.test(rig.text().trimEnd().split("\n").at(-1) ?? ""),
      "the pin in the status line",
    );
    rig.keys("second\r");
    await rig.waitForText(/second done/);
    expect(lastKey(rig)).toBe(PERSONAL_KEY);
    // The switch says why: the pin, not the gateway's headroom reasons.
    expect(rig.text()).toMatch(
      /profile lab: work → personal · the only profile allowed \(the session's pinned/,
    );
    expect(rig.thread.state().pinnedProfile).toBe("personal");

    rig.keys("/profile nope\r");
    await rig.waitForText(/no profile "nope" \(pin one of: (work, personal|personal, work)\)/);
    expect(rig.thread.state().pinnedProfile).toBe("personal");

    await rig.waitFor(idle(rig), "idle");
    rig.keys("hold\r");
    await rig.waitForText(/never/);
    rig.keys("/profile work\r");
    await rig.waitForText(/\/profile is not available while a turn runs/);
    expect(rig.thread.state().pinnedProfile).toBe("personal");
  });

  it("hedge --profile NAME starts the session with that pin", async () => {
    const rig = await start({
      gateway: { profiles: PROFILES, pin: "personal" },
      replies: [{ text: "done" }],
    });
    rig.keys("go\r");
    await rig.waitForText(/done/);
    expect(lastKey(rig)).toBe(PERSONAL_KEY);
  });

  it("/model shows each candidate's policy state from routing", async () => {
    const rig = await start({
      width: 160,
      gateway: {
        profiles: PROFILES,
        // A hosted provider nobody logged in to: the local-first policy denies it.
        config: ["[providers.far]", 'base_url = "https://far.example.com/v1"', 'wire = "chat"'],
      },
    });
    rig.keys("/model\r");
    await rig.waitForText(/Executor model/);
    const screen = rig.text();
    expect(screen).toMatch(
      /lab\/coder ✓\s+in use: orchestrator, executor, qa · allowed · lab · profile work/,
    );
    expect(screen).toMatch(/far\/big\s+denied by policy: .*excludes hosted provider "far"/);
  });

  it("/compact summarises the older turns now and shows the tokens before and after; not while a turn runs", async () => {
    const rig = await start({
      width: 140,
      replies: [
        { text: "alpha answer ".repeat(40) },
        { text: "beta answer" },
        { text: "SUMMARY-OF-EARLIER-WORK" },
        { text: "gamma answer" },
        { toolCalls: [waitForFile("never")] },
      ],
    });
    rig.keys("alpha\r");
    await rig.waitForText(/alpha answer/);
    await rig.waitFor(idle(rig), "idle");
    rig.keys("beta\r");
    await rig.waitForText(/beta answer/);
    await rig.waitFor(idle(rig), "idle");

    rig.keys("/compact\r");
    await rig.waitForText(/context compacted: 2 earlier message\(s\)/);
    const [, before, after] = /about ([\d,]+) → ([\d,]+) tokens/.exec(rig.text()) ?? [];
    expect(Number(before?.replace(/,/g, ""))).toBeGreaterThan(Number(after?.replace(/,/g, "")));

    rig.keys("gamma\r");
    await rig.waitForText(/gamma answer/);
    const sent = rig.userMessages().at(-1)?.join("\n") ?? "";
    expect(sent).toContain("SUMMARY-OF-EARLIER-WORK");
    expect(sent).toContain("beta");
    expect(sent).not.toContain("alpha");

    await rig.waitFor(idle(rig), "idle");
    rig.keys("hold\r");
    await rig.waitForText(/never/);
    rig.keys("/compact\r");
    await rig.waitForText(/\/compact is not available while a turn runs/);
  });
});
