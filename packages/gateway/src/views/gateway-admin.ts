import type {
  CanonicalRequest,
  GatewayStatusView,
  RouteExplanationView,
  RouteQuery,
  StatsQuery,
  StatsView,
  StatusQuery,
  TokenCountView,
  UsageReportView,
  VerdictRecord,
} from "@hedge/model-spec";
import type { GatewayEngine } from "../engine/engine.js";
import type { Caller } from "../engine/route.js";
import type { ReportProfile } from "../usage/usage-report.js";
import { explainView } from "./explain-view.js";
import { StateViews } from "./state-views.js";

/**
 * What hedge's admin API and the embedded client answer about one engine: routing dry runs,
 * verdicts recorded for `hedge stats`, and the views of its shared state (keys scrubbed).
 */
export class GatewayAdmin {
  readonly views: StateViews;

  constructor(
    private readonly engine: GatewayEngine,
    options: { profiles?: () => readonly ReportProfile[] } = {},
  ) {
    this.views = new StateViews({
      ...engine.stateSources(),
      ...(options.profiles ? { profiles: options.profiles } : {}),
    });
  }

  /** A dry run as `caller` (an account's narrower policy, its own keys) would be routed. */
  async explain(query: RouteQuery, caller?: Caller): Promise<RouteExplanationView> {
    const explanation = await this.engine.explain({
      model: query.model,
      ...(query.role === undefined ? {} : { role: query.role }),
      ...(query.session === undefined ? {} : { session: query.session }),
      ...(query.profiles === undefined ? {} : { profiles: query.profiles }),
      ...(caller ? { caller } : {}),
    });
    return this.views.redact(explainView(explanation));
  }

  /** The routed provider's own count of `request` (null: it has none); see engine.countTokens. */
  async countTokens(
    request: CanonicalRequest,
    caller?: Caller,
    signal?: AbortSignal,
  ): Promise<TokenCountView> {
    const count = await this.engine.countTokens(request, {
      ...(caller ? { caller } : {}),
      ...(signal ? { signal } : {}),
    });
    return { count };
  }

  recordVerdict(verdict: VerdictRecord): void {
    this.engine.recordVerdict({
      model: verdict.model,
      verdict: verdict.verdict,
      ...(verdict.session === undefined ? {} : { session: verdict.session }),
      ...(verdict.turn === undefined ? {} : { turn: verdict.turn }),
    });
  }

  usage(): Promise<UsageReportView> {
    return this.views.usage();
  }

  /** Includes every request and verdict recorded so far (the audit buffer is flushed first). */
  async status(query?: StatusQuery): Promise<GatewayStatusView> {
    await this.engine.flush();
    return this.views.status(query);
  }

  /** Includes every call and verdict recorded so far (the audit buffer is flushed first). */
  async stats(query: StatsQuery): Promise<StatsView> {
    await this.engine.flush();
    return this.views.stats(query);
  }
}
