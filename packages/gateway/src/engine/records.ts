import { randomBytes } from "node:crypto";
import type { RouteSelectedEvent } from "@hedge/model-spec";
import type { ResolvedProvider } from "../providers/resolve.js";
import { costUsd, priceFor, type ModelPrice } from "../routing/prices.js";
import type { AuditEntry, CallStats } from "../store/store.js";
import type { ProfileSwitch } from "../usage/switch-log.js";
import type { AttemptLog } from "./attempt-runner.js";
import type { RequestRecord } from "./observer.js";
import type { Attempt, RoutePlan } from "./route.js";

// A random process prefix and a counter: unique without a random draw per request.
const REQUEST_ID_PREFIX = `req_${randomBytes(6).toString("hex")}`;
let requestCounter = 0;

export function newRequestId(): string {
  requestCounter += 1;
  return `${REQUEST_ID_PREFIX}${requestCounter.toString(36).padStart(6, "0")}`;
}

export function newRecord(
  requestId: string,
  inboundWire: RequestRecord["inboundWire"],
  model: string,
  stream: boolean,
): RequestRecord {
  return {
    requestId,
    inboundWire,
    model,
    provider: undefined,
    upstreamModel: undefined,
    credential: undefined,
    status: 0,
    outcome: "ok",
    errorType: undefined,
    passThrough: false,
    stream,
    attempts: 0,
    latencyMs: 0,
    ttfbMs: undefined,
    usage: undefined,
  };
}

export function setRoute(record: RequestRecord, attempt: Attempt): void {
  record.provider = attempt.provider.id;
  record.upstreamModel = attempt.upstreamModel;
  record.credential = attempt.credential.id;
  if (attempt.credential.profile) record.profile = attempt.credential.profile;
}

/**
 * A request that failed after trying routes names the last route it tried, so metrics, stats
 * and the audit log say which provider failed (not `provider="none"`).
 */
export function setTriedRoute(
  record: RequestRecord,
  plan: RoutePlan | undefined,
  log: readonly AttemptLog[],
): void {
  if (!plan || record.provider !== undefined) return;
  for (let index = log.length - 1; index >= 0; index -= 1) {
    const entry = log[index] as AttemptLog;
    const attempt = plan.attempts.find(
      (candidate) =>
        candidate.id === entry.route &&
        (entry.model === undefined || candidate.upstreamModel === entry.model),
    );
    if (attempt) return setRoute(record, attempt);
  }
}

/** The caller went away (Ctrl-C, a hang-up, its own timeout): recorded as 499 `client_closed`. */
export function setClientClosed(record: RequestRecord): void {
  record.status = 499;
  record.outcome = "client_closed";
  record.errorType = "client_closed";
}

export function routeEvent(
  attempt: Attempt,
  model: string,
  switched?: ProfileSwitch,
): RouteSelectedEvent {
  return {
    type: "route.selected",
    provider: attempt.provider.id,
    model,
    upstreamModel: attempt.upstreamModel,
    credential: attempt.credential.id,
    profile: attempt.credential.profile,
    ...(switched
      ? { switchedFrom: switched.fromProfile ?? switched.from, switchReason: switched.reason }
      : {}),
  };
}

/** The audit entry of a finished request: attempts, exclusions, outcome and call accounting. */
export function auditEntryOf(
  record: RequestRecord,
  plan: RoutePlan | undefined,
  log: readonly AttemptLog[] | undefined,
  at: number,
  providers: readonly ResolvedProvider[],
): AuditEntry {
  // Built field by field (no spreads): this runs for every request the gateway serves.
  const attempts: AuditEntry["attempts"] = [];
  for (const entry of log ?? []) {
    const attempt: AuditEntry["attempts"][number] = {
      route: entry.route,
      outcome: entry.reason ? `${entry.outcome}: ${entry.reason}` : entry.outcome,
      latencyMs: Math.round(entry.latencyMs),
    };
    if (entry.model !== undefined) attempt.model = entry.model;
    if (entry.status !== undefined) attempt.status = entry.status;
    attempts.push(attempt);
  }
  const excluded: AuditEntry["excluded"] = [];
  for (const route of plan?.excluded ?? [])
    excluded.push({ route: route.route, reason: route.reason });
  const entry: AuditEntry = {
    at,
    requestId: record.requestId,
    model: record.model,
    attempts,
    excluded,
    outcome:
      record.outcome === "ok"
        ? "ok"
        : `${record.outcome}${record.errorType ? ` (${record.errorType})` : ""}`,
  };
  if (record.provider) entry.call = callStats(record, providers);
  return entry;
}

/** What a routed call cost and how it went, for `hedge stats`. */
export function callStats(
  record: RequestRecord,
  providers: readonly ResolvedProvider[],
): CallStats {
  const usage = record.usage;
  const provider = providers.find((candidate) => candidate.id === record.provider);
  const price =
    provider && record.upstreamModel ? priceOf(provider, record.upstreamModel) : undefined;
  const stats: CallStats = {
    model: record.model,
    input_tokens: usage?.input_tokens ?? 0,
    cached_input_tokens: usage?.cached_input_tokens ?? 0,
    output_tokens: usage?.output_tokens ?? 0,
    latency_ms: Math.round(record.latencyMs),
    tool_calls: record.toolCalls ?? 0,
    outcome: record.outcome,
  };
  if (record.role) stats.role = record.role;
  if (record.session) stats.session = record.session;
  if (record.turn) stats.turn = record.turn;
  if (record.provider) stats.provider = record.provider;
  if (record.upstreamModel) stats.upstream_model = record.upstreamModel;
  if (record.profile) stats.profile = record.profile;
  if (record.gatewayKey) stats.gateway_key = record.gatewayKey;
  if (record.ttfbMs !== undefined) stats.ttft_ms = Math.round(record.ttfbMs);
  if (price && usage) stats.cost_usd = costUsd(price, usage);
  return stats;
}

/** Each provider's price per model as `priceFor` found it: looked up once, not per request. */
const prices = new WeakMap<ResolvedProvider, Map<string, ModelPrice | null>>();

function priceOf(provider: ResolvedProvider, model: string): ModelPrice | undefined {
  let known = prices.get(provider);
  if (!known) {
    known = new Map<string, ModelPrice | null>();
    prices.set(provider, known);
  }
  let price = known.get(model);
  if (price === undefined) {
    price = priceFor(provider.type, model, provider.prices) ?? null;
    // Model names come from config and upstream answers: bounded in practice, capped anyway.
    if (known.size >= 1_000) known.clear();
    known.set(model, price);
  }
  return price ?? undefined;
}

/** A QA verdict as a stats record (it has no model call of its own). */
export function verdictEntry(
  fields: { session?: string; turn?: string; model: string; verdict: string },
  at: number,
  requestId: string,
): AuditEntry {
  return {
    at,
    requestId,
    model: fields.model,
    attempts: [],
    excluded: [],
    outcome: "ok",
    call: {
      role: "qa",
      model: fields.model,
      ...(fields.session ? { session: fields.session } : {}),
      ...(fields.turn ? { turn: fields.turn } : {}),
      input_tokens: 0,
      cached_input_tokens: 0,
      output_tokens: 0,
      latency_ms: 0,
      tool_calls: 0,
      outcome: "verdict",
      qa_verdict: fields.verdict,
    },
  };
}
