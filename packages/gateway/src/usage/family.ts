/**
 * The family of a model for usage windows: providers count limits per model (OpenAI, Anthropic
 * API) but never per dated snapshot of one, so `claude-sonnet-4-5-20250929` and
 * `claude-sonnet-4-5` share windows. A `provider/` prefix and `-latest` are dropped too.
 */
export function modelFamily(model: string): string {
  let family = families.get(model);
  if (family === undefined) {
    family = familyOf(model);
    // Model names come from config and requests: bounded in practice, capped anyway.
    if (families.size >= 10_000) families.clear();
    families.set(model, family);
  }
  return family;
}

/** Looked up on every routed request (several times): computed once per model name. */
const families = new Map<string, string>();

function familyOf(model: string): string {
  let name = model.trim().toLowerCase();
  const slash = name.lastIndexOf("/");
  if (slash >= 0) name = name.slice(slash + 1);
  return name
    .replace(/-latest$/, "")
    .replace(/-\d{4}-\d{2}-\d{2}$/, "")
    .replace(/-\d{8}$/, "");
}

/** `provider:profile:NAME` -> `NAME`; undefined for routes that are not a profile's. */
export function profileOfRoute(route: string): string | undefined {
  const at = route.indexOf(":profile:");
  return at < 0 ? undefined : route.slice(at + ":profile:".length);
}

/** `provider:credential` -> `provider`. */
export function providerOfRoute(route: string): string {
  const at = route.indexOf(":");
  return at < 0 ? route : route.slice(0, at);
}
