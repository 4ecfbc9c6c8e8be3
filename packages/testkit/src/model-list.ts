const FALLBACK_MODEL = "scripted-model";

/** `GET /v1/models` in OpenAI's shape, or Anthropic's when the client sent `anthropic-version`. */
export function modelList(models: readonly string[], anthropic: boolean): unknown {
  const names = models.length > 0 ? models : [FALLBACK_MODEL];
  if (anthropic) {
    const data = names.map((id) => ({
      type: "model",
      id,
      display_name: id,
      created_at: "2025-01-01T00:00:00Z",
    }));
    return { data, has_more: false, first_id: names[0] ?? null, last_id: names.at(-1) ?? null };
  }
  return {
    object: "list",
    data: names.map((id) => ({
      id,
      object: "model",
      created: 1735689600,
      owned_by: "scripted-upstream",
    })),
  };
}
