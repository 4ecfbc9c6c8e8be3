import { watch, type FSWatcher } from "node:fs";
import { git } from "@hedge/core";
import type { Loop, RunTrigger } from "../ledger/types.js";
import { globToRegExp } from "./glob.js";

export interface TriggerDeps {
  /** Queues an event run; `ref` dedups (a commit sha). */
  fire: (loopId: string, trigger: RunTrigger, ref: string | null) => void;
  log: (line: string) => void;
  commitPollMs?: number;
}

interface Armed {
  key: string;
  close: () => void;
}

/**
 * The file-watch and commit triggers of the active loops, re-armed whenever loops change.
 * Webhooks have their own server.
 */
export class TriggerSet {
  private readonly armed = new Map<string, Armed>();

  constructor(private readonly deps: TriggerDeps) {}

  sync(loops: readonly Loop[]): void {
    const wanted = new Map<string, Loop>();
    for (const loop of loops) {
      if (loop.trigger?.kind === "watch" || loop.trigger?.kind === "commit")
        wanted.set(loop.id, loop);
    }
    for (const [id, armed] of this.armed) {
      const loop = wanted.get(id);
      if (!loop || keyOf(loop) !== armed.key) {
        armed.close();
        this.armed.delete(id);
      }
    }
    for (const [id, loop] of wanted) {
      if (this.armed.has(id)) continue;
      try {
        this.armed.set(id, { key: keyOf(loop), close: this.arm(loop) });
      } catch (error) {
        this.deps.log(`loop ${loop.name}: cannot watch ${loop.cwd}: ${(error as Error).message}`);
      }
    }
  }

  close(): void {
    for (const armed of this.armed.values()) armed.close();
    this.armed.clear();
  }

  private arm(loop: Loop): () => void {
    const trigger = loop.trigger;
    if (trigger?.kind === "watch") {
      const pattern = globToRegExp(trigger.glob);
      let timer: NodeJS.Timeout | undefined;
      const watcher: FSWatcher = watch(loop.cwd, { recursive: true }, (_event, file) => {
        const path = file?.toString().split("\\").join("/");
        if (!path || path === ".git" || path.startsWith(".git/") || !pattern.test(path)) return;
        // Debounced: a burst of writes (a checkout, a formatter) is one run.
        clearTimeout(timer);
        timer = setTimeout(() => this.deps.fire(loop.id, "watch", null), trigger.debounceMs);
      });
      watcher.on("error", (error) =>
        this.deps.log(`loop ${loop.name}: watch failed: ${error.message}`),
      );
      return () => {
        clearTimeout(timer);
        watcher.close();
      };
    }
    if (trigger?.kind === "commit") {
      let last: string | null | undefined;
      let busy = false;
      const poll = async (): Promise<void> => {
        if (busy) return;
        busy = true;
        try {
          const sha = (
            await git(loop.cwd, [
              "rev-parse",
              "--verify",
              "--quiet",
              `refs/heads/${trigger.branch}`,
            ])
          ).stdout.trim();
          // The first sight is the baseline: starting the daemon is not a commit.
          if (last !== undefined && sha && sha !== last)
            this.deps.fire(loop.id, "commit", `commit:${sha}`);
          last = sha || null;
        } catch {
          last ??= null;
        } finally {
          busy = false;
        }
      };
      void poll();
      const interval = setInterval(() => void poll(), this.deps.commitPollMs ?? 2000);
      return () => clearInterval(interval);
    }
    return () => undefined;
  }
}

function keyOf(loop: Loop): string {
  return `${loop.cwd}\u0000${JSON.stringify(loop.trigger)}`;
}
