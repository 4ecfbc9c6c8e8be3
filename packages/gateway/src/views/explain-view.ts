import type { RouteExplanationView } from "@hedge/model-spec";
import type { RouteExplanation } from "../engine/route.js";

/**
 * A routing dry run as `hedge route explain --json` shows it: each candidate with its place in
 * the try order or why it is excluded (and until when), then the routes ruled out before they
 * became candidates (policy, no credential, an unknown fallback), and the would-be error.
 */
export function explainView({ plan, error }: RouteExplanation): RouteExplanationView {
  const order = new Map(plan.attempts.map((attempt, index) => [attempt.id, index + 1]));
  const routes = plan.candidates.map((candidate) => {
    const excluded = plan.excluded.find((route) => route.route === candidate.id);
    return {
      route: candidate.id,
      provider: candidate.provider.id,
      model: candidate.upstreamModel,
      class: candidate.provider.providerClass,
      region: candidate.provider.region,
      credential: candidate.credential.source,
      ...(candidate.credential.profile ? { profile: candidate.credential.profile } : {}),
      order: order.get(candidate.id) ?? null,
      ...(excluded ? { excluded: excluded.reason } : {}),
      ...(excluded?.until ? { until: new Date(excluded.until).toISOString() } : {}),
    };
  });
  const ruledOut = plan.excluded
    .filter((route) => !plan.candidates.some((candidate) => candidate.id === route.route))
    .map((route) => ({ route: route.route, provider: route.provider, excluded: route.reason }));
  return {
    model: plan.model,
    strategy: plan.strategy,
    sticky: plan.sticky ?? null,
    routes,
    ruled_out: ruledOut,
    error: error ? { code: error.code, message: error.message } : null,
  };
}
