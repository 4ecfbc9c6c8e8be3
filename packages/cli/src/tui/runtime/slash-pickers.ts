import type { ThreadState } from "@hedge/core";
import {
  formatWait,
  type RouteExplanationView,
  type RouteQuery,
  type UsageReportView,
} from "@hedge/model-spec";
import type { PickerState } from "../state/session-state.js";

/** A picker as a slash command opens it (selection and filter start empty). */
export type PickerSpec = Omit<PickerState, "selected" | "filter">;

/**
 * A model's policy state as routing sees it now, in a few words: allowed (and where), denied by
 * policy (and why), no credentials, breaker open, cooling down, no headroom. From
 * `ModelClient.explain` (a dry run; no provider is called).
 */
export function policyState(view: RouteExplanationView, now: number): string {
  const first = view.routes.find((route) => route.order !== null);
  if (!view.error && first)
    return `allowed · ${first.provider}${first.profile ? ` · profile ${first.profile}` : ""}`;
  const code = view.error?.code;
  if (code === "policy_denied") {
    const rule = view.ruled_out.find((route) => route.excluded.startsWith("policy:"));
    return `denied by policy: ${rule ? rule.excluded.slice("policy:".length).trim() : (view.error?.message ?? "")}`;
  }
  if (code === "no_credential") return "no credentials (hedge auth login)";
  // Every candidate excluded by health: name the first reason (and when it ends).
  const excluded = view.routes.find((route) => route.excluded !== undefined);
  const reason = excluded?.excluded ?? view.error?.message ?? "no route";
  const until = excluded?.until ? Date.parse(excluded.until) - now : NaN;
  const wait = until > 0 ? ` for ${formatWait(until)}` : "";
  if (/circuit (open|half-open)/.test(reason)) return `breaker open${wait}`;
  if (/^(rate_limited|quota)/.test(reason) || /cooldown/.test(reason))
    return `cooling down${wait}: ${reason}`;
  if (/^usage:/.test(reason)) return `no headroom${wait}: ${reason.slice("usage:".length).trim()}`;
  if (/^(credential|permission)/.test(reason)) return `credential refused: ${reason}`;
  return reason;
}

/**
 * `/model`: the models in use and those the config names, each with its policy state (when the
 * connection can explain routes); the executor's is marked.
 */
export async function modelPicker(
  state: ThreadState,
  configured: readonly { model: string; description?: string }[],
  explain: ((query: RouteQuery) => Promise<RouteExplanationView>) | undefined,
  now: number,
): Promise<PickerSpec> {
  const inUse = new Map<string, string[]>();
  for (const role of ["orchestrator", "executor", "qa"] as const) {
    const model = state.roles[role].model;
    inUse.set(model, [...(inUse.get(model) ?? []), role]);
  }
  const items = new Map<string, string[]>();
  for (const [model, roles] of inUse) items.set(model, [`in use: ${roles.join(", ")}`]);
  for (const { model, description } of configured)
    if (!items.has(model)) items.set(model, description ? [description] : []);
  const states = await Promise.all(
    [...items.keys()].map(async (model) => {
      if (!explain) return undefined;
      try {
        return policyState(await explain({ model, role: "executor" }), now);
      } catch {
        // A gateway that cannot explain routes (not hedge's): no state to show.
        return undefined;
      }
    }),
  );
  return {
    command: "model",
    title: "Executor model",
    items: [...items].map(([model, notes], index) => {
      const description = [...notes, ...(states[index] ? [states[index]] : [])].join(" · ");
      return {
        label: model,
        value: model,
        ...(description ? { description } : {}),
        current: model === state.roles.executor.model,
      };
    }),
  };
}

/**
 * `/profile`: the user's profiles with their headroom and cooldowns; the pinned one (else the one
 * serving the executor) is marked.
 */
export function profilePicker(
  state: ThreadState,
  report: UsageReportView,
  now: number,
): PickerSpec {
  const current = state.pinnedProfile ?? state.roles.executor.route?.profile ?? undefined;
  return {
    command: "profile",
    title: "Pin a profile",
    items: report.profiles.map((entry) => {
      const cooldownMs = entry.cooldown ? Date.parse(entry.cooldown.until) - now : NaN;
      const health =
        cooldownMs > 0
          ? `cooling down ${formatWait(cooldownMs)}: ${entry.cooldown?.reason ?? ""}`
          : entry.windows.length > 0
            ? `${Math.round(entry.left * 100)}% left`
            : "no limits seen yet";
      return {
        label: entry.profile,
        value: entry.profile,
        description: `${entry.provider} · ${entry.kind} · ${health}${entry.profile === state.pinnedProfile ? " · pinned" : ""}`,
        current: entry.profile === current,
      };
    }),
  };
}
