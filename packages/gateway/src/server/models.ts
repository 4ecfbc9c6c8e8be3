/** `GET /v1/models` in the OpenAI shape, or Anthropic's when the client speaks Anthropic. */
export function listModelsBody(
  models: readonly { id: string; provider: string }[],
  anthropic: boolean,
): unknown {
  const created = Math.floor(Date.now() / 1000);
  if (anthropic) {
    const data = models.map((model) => ({
      type: "model",
      id: model.id,
      display_name: model.id,
      created_at: new Date(created * 1000).toISOString(),
    }));
    return {
      data,
      has_more: false,
      first_id: data[0]?.id ?? null,
      last_id: data[data.length - 1]?.id ?? null,
    };
  }
  return {
    object: "list",
    data: models.map((model) => ({
      id: model.id,
      object: "model",
      created,
      owned_by: model.provider,
    })),
  };
}
