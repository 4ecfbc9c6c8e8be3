import type { ThreadState } from "@hedge/core";
import type { ProfileUsageView, UsageReportView } from "@hedge/model-spec";
// Not the package index: its zod schemas would load before the first frame.
import { formatWait } from "@hedge/model-spec/format-wait";
import { formatCost, formatTokens, shortModel } from "./format.js";
import { cleanLine } from "./sanitize.js";
import { textWidth, truncateLine } from "./text-layout.js";

/** What the status line is made from. */
export interface StatusInput {
  /** `Thread.state()`: routes per role, usage, cost, context. */
  thread: Pick<ThreadState, "roles" | "usage" | "costUsd" | "contextUsedPct"> &
    Partial<Pick<ThreadState, "pinnedProfile">>;
  /** `ModelClient.usage()`: headroom per profile (absent until first read, or when unreadable). */
  usage?: UsageReportView;
  /** Roles at work now (the role panel's rows). */
  running: readonly string[];
  /** Epoch ms (reset countdowns). */
  now: number;
}

/** How a field should look; the component maps tones to theme colours. */
export type StatusTone = "model" | "muted" | "normal" | "good" | "warning" | "danger";

/** One field of the status line, at the length chosen for the width. */
export interface StatusField {
  key: StatusKey;
  text: string;
  tone: StatusTone;
}

export type StatusKey = "model" | "context" | "tokens" | "cost" | "limits" | "roles";

/** A field's forms, longest first; the line uses the longest that fits ("" drops it). */
export interface FieldForms {
  key: StatusKey;
  tone: StatusTone;
  forms: string[];
}

export const STATUS_SEPARATOR = " · ";
const REASON_LIMIT = 40;

/**
 * What to give up, in order, when the line is too wide: each step shortens one field to its
 * next form (an empty form drops the field). The route reason goes first, the model and the
 * context left go last.
 */
const SHRINK_ORDER: StatusKey[] = [
  "model", // drop the route reason
  "tokens",
  "cost",
  "limits", // drop the reset countdown
  "model", // drop the provider prefix
  "roles", // "▶ 2 roles"
  "limits", // drop the headroom
  "roles",
  "context", // "63% ctx"
];

/** The fields at their longest (the executor's model and why, context, tokens, $, limits, roles). */
export function statusFields(input: StatusInput): FieldForms[] {
  const fields: FieldForms[] = [modelField(input)];
  const used = input.thread.contextUsedPct;
  if (used !== null) {
    const left = Math.max(0, Math.round(100 - used));
    fields.push({
      key: "context",
      tone: left <= 10 ? "danger" : left <= 25 ? "warning" : "normal",
      forms: [`${left}% context left`, `${left}% ctx`],
    });
  }
  const { usage } = input.thread;
  const tokens = usage.input_tokens + usage.output_tokens;
  if (tokens > 0)
    fields.push({ key: "tokens", tone: "muted", forms: [`${formatTokens(tokens)} tok`, ""] });
  if (input.thread.costUsd !== null)
    fields.push({ key: "cost", tone: "muted", forms: [formatCost(input.thread.costUsd), ""] });
  const limits = limitsField(input);
  if (limits) fields.push(limits);
  if (input.running.length > 0) {
    const names = input.running.map(cleanLine);
    fields.push({
      key: "roles",
      tone: "good",
      forms: [
        `▶ ${names.join(", ")}`,
        `▶ ${names.length} role${names.length === 1 ? "" : "s"}`,
        "",
      ],
    });
  }
  return fields;
}

/**
 * The fields that fit `width` columns, each at the longest form that fits, shrinking by
 * {@link SHRINK_ORDER}; never wider than `width` (the last resort cuts the line).
 */
export function formatStatusLine(fields: readonly FieldForms[], width: number): StatusField[] {
  const level = new Map<StatusKey, number>(fields.map(({ key }) => [key, 0]));
  const current = (): StatusField[] =>
    fields.flatMap(({ key, tone, forms }) => {
      const text = forms[Math.min(level.get(key) ?? 0, forms.length - 1)] ?? "";
      return text ? [{ key, tone, text }] : [];
    });
  const fits = (shown: StatusField[]): boolean => lineWidth(shown) <= width;
  let shown = current();
  for (const key of SHRINK_ORDER) {
    if (fits(shown)) return shown;
    const field = fields.find((candidate) => candidate.key === key);
    if (!field) continue;
    level.set(key, Math.min((level.get(key) ?? 0) + 1, field.forms.length - 1));
    shown = current();
  }
  return fits(shown) ? shown : cutToWidth(shown, width);
}

/** The status line as plain text (for tests and the screen reader). */
export function statusText(fields: readonly StatusField[]): string {
  return fields.map(({ text }) => text).join(STATUS_SEPARATOR);
}

function lineWidth(fields: readonly StatusField[]): number {
  return textWidth(statusText(fields));
}

function cutToWidth(fields: StatusField[], width: number): StatusField[] {
  const kept: StatusField[] = [];
  let used = 0;
  for (const field of fields) {
    const separator = kept.length > 0 ? STATUS_SEPARATOR.length : 0;
    const room = width - used - separator;
    if (room <= 1) break;
    const text = truncateLine(field.text, room);
    kept.push({ ...field, text });
    used += separator + textWidth(text);
  }
  return kept;
}

function modelField(input: StatusInput): FieldForms {
  const executor = input.thread.roles.executor;
  const route = executor.route;
  const model = cleanLine(route ? `${route.provider}/${route.upstream_model}` : executor.model);
  const reason = route?.reason ? cleanLine(route.reason) : "";
  const why = reason.length > REASON_LIMIT ? `${reason.slice(0, REASON_LIMIT - 1)}…` : reason;
  return {
    key: "model",
    tone: "model",
    forms: [...(why ? [`${model} (${why})`] : []), model, shortModel(model)],
  };
}

/**
 * The active profile's headroom: the session's pinned profile (marked), else the executor's route
 * profile, else its first configured one.
 */
function limitsField(input: StatusInput): FieldForms | undefined {
  const executor = input.thread.roles.executor;
  const pinned = input.thread.pinnedProfile;
  const name = pinned ?? executor.route?.profile ?? executor.profiles?.[0];
  const profile = name ? input.usage?.profiles.find((entry) => entry.profile === name) : undefined;
  if (!profile) {
    if (!pinned) return undefined;
    const label = cleanLine(pinned);
    return {
      key: "limits",
      tone: "normal",
      forms: [`profile ${label} pinned`, `${label} pinned`, ""],
    };
  }
  const label = `${cleanLine(profile.profile)}${pinned ? " (pinned)" : ""}`;
  const cooldownMs = profile.cooldown ? Date.parse(profile.cooldown.until) - input.now : NaN;
  if (cooldownMs > 0) {
    const wait = formatWait(cooldownMs);
    return {
      key: "limits",
      tone: "danger",
      forms: [`${label} cooling ${wait}`, `${label} cooling`, ""],
    };
  }
  const left = Math.round(profile.left * 100);
  const switchBelow = input.usage?.switch_below ?? 0.1;
  const tone: StatusTone =
    profile.left <= switchBelow ? "danger" : profile.left <= 0.3 ? "warning" : "normal";
  const reset = nextReset(profile, input.now);
  const headroom = `${label} ${left}% left`;
  return {
    key: "limits",
    tone,
    forms: [...(reset === undefined ? [] : [`${headroom} ↺ ${formatWait(reset)}`]), headroom, ""],
  };
}

/** Time until the tightest fresh window resets (ms), if any window says. */
function nextReset(profile: ProfileUsageView, now: number): number | undefined {
  const fresh = profile.windows.filter((window) => !window.stale);
  const tightest = [...fresh].sort((a, b) => a.left - b.left)[0];
  if (!tightest?.reset_at) return undefined;
  const ms = Date.parse(tightest.reset_at) - now;
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}
