import { HedgeError } from "@hedge/model-spec";
import type { ResolvedProvider } from "../providers/resolve.js";

/** A model name resolved to the provider that serves it and the model id it knows. */
export interface ModelTarget {
  provider: ResolvedProvider;
  upstreamModel: string;
}

/**
 * Resolves `provider/model` or an alias to targets. An alias may point at another alias (up to a
 * few hops). A bare model name matches providers that list it in `models`.
 */
export function resolveModel(
  requested: string,
  providers: readonly ResolvedProvider[],
  aliases: Readonly<Record<string, string>>,
): { name: string; targets: ModelTarget[] } {
  let name = requested;
  for (let hops = 0; aliases[name] !== undefined; hops += 1) {
    if (hops >= 8) {
      throw new HedgeError("config_invalid", `alias "${requested}" loops`, {
        hint: "fix [aliases] so every alias ends at provider/model",
      });
    }
    name = aliases[name] as string;
  }
  const slash = name.indexOf("/");
  if (slash > 0) {
    const providerId = name.slice(0, slash);
    const provider = providers.find((candidate) => candidate.id === providerId);
    if (provider) return { name, targets: [{ provider, upstreamModel: name.slice(slash + 1) }] };
  }
  const listing = providers.filter((provider) => provider.models?.includes(name));
  if (listing.length > 0) {
    return { name, targets: listing.map((provider) => ({ provider, upstreamModel: name })) };
  }
  throw new HedgeError("model_not_found", `no configured provider serves model "${requested}"`, {
    exitCode: 1,
    hint:
      slash > 0
        ? `add [providers.${name.slice(0, slash)}] to config, or use an alias from [aliases]`
        : "address models as provider/model (e.g. ollama/llama3.2) or define an alias in [aliases]",
  });
}
