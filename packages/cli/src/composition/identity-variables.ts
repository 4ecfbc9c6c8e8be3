import { PROVIDER_PRESETS, type ProviderConfig } from "@hedge/gateway/config";

// Apart from providers.ts on purpose: tool guards need this in every mode, and a remote-mode
// process must not load the gateway's runtime (the `/config` subpath is data and schemas only).

/** Every variable that can carry a provider identity: preset and configured key variables. */
export function identityVariables(providers: Readonly<Record<string, ProviderConfig>>): string[] {
  const variables = new Set<string>();
  for (const preset of Object.values(PROVIDER_PRESETS)) {
    if (preset.keyEnv) variables.add(preset.keyEnv);
  }
  for (const table of Object.values(providers)) {
    if (table.api_key_env) variables.add(table.api_key_env);
  }
  return [...variables];
}

/** The variables `import --from-env` reads, explicitly, and the provider each belongs to. */
export const IMPORTABLE_VARIABLES: readonly (readonly [variable: string, provider: string])[] = [
  ["OPENAI_API_KEY", "openai"],
  ["ANTHROPIC_API_KEY", "anthropic"],
  ["DEEPSEEK_API_KEY", "deepseek"],
  ["DASHSCOPE_API_KEY", "qwen"],
  ["ZHIPUAI_API_KEY", "glm"],
  ["OPENROUTER_API_KEY", "openrouter"],
];
