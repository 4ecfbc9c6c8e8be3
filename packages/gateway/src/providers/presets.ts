import type { WireFormat } from "@hedge/model-spec";

/** `local` when the endpoint is on this machine or a private network, else `hosted`. */
export type ProviderClass = "local" | "hosted";

/** What hedge knows about a provider before any config: endpoint, wire, class and region. */
export interface ProviderPreset {
  /** Config type name, also the default provider id. */
  name: string;
  /** One line a person can recognise the provider by. */
  title: string;
  baseUrl: string;
  wire: WireFormat;
  region: string;
  /** Environment variable that conventionally holds the key (used only by explicit import). */
  keyEnv: string | undefined;
}

/**
 * Built-in presets. Base URLs include the version prefix the provider documents for its
 * OpenAI-compatible endpoint; requests append `/chat/completions`, `/responses` or `/messages`.
 */
export const PROVIDER_PRESETS: Readonly<Record<string, ProviderPreset>> = {
  openai: {
    name: "openai",
    title: "OpenAI",
    baseUrl: "https://api.openai.com/v1",
    wire: "responses",
    region: "us",
    keyEnv: "OPENAI_API_KEY",
  },
  anthropic: {
    name: "anthropic",
    title: "Anthropic",
    baseUrl: "https://api.anthropic.com/v1",
    wire: "messages",
    region: "us",
    keyEnv: "ANTHROPIC_API_KEY",
  },
  deepseek: {
    name: "deepseek",
    title: "DeepSeek",
    baseUrl: "https://api.deepseek.com/v1",
    wire: "chat",
    region: "cn",
    keyEnv: "DEEPSEEK_API_KEY",
  },
  qwen: {
    name: "qwen",
    title: "Qwen (DashScope international)",
    baseUrl: "https://dashscope-intl.aliyuncs.com/compatible-mode/v1",
    wire: "chat",
    region: "sg",
    keyEnv: "DASHSCOPE_API_KEY",
  },
  "qwen-cn": {
    name: "qwen-cn",
    title: "Qwen (DashScope mainland China)",
    baseUrl: "https://dashscope.aliyuncs.com/compatible-mode/v1",
    wire: "chat",
    region: "cn",
    keyEnv: "DASHSCOPE_API_KEY",
  },
  glm: {
    name: "glm",
    title: "GLM (Z.ai international)",
    baseUrl: "https://api.z.ai/api/paas/v4",
    wire: "chat",
    region: "sg",
    keyEnv: "ZHIPUAI_API_KEY",
  },
  "glm-cn": {
    name: "glm-cn",
    title: "GLM (Zhipu mainland China)",
    baseUrl: "https://open.bigmodel.cn/api/paas/v4",
    wire: "chat",
    region: "cn",
    keyEnv: "ZHIPUAI_API_KEY",
  },
  openrouter: {
    name: "openrouter",
    title: "OpenRouter",
    baseUrl: "https://openrouter.ai/api/v1",
    wire: "chat",
    region: "us",
    keyEnv: "OPENROUTER_API_KEY",
  },
  ollama: {
    name: "ollama",
    title: "Ollama (local)",
    baseUrl: "http://127.0.0.1:11434/v1",
    wire: "chat",
    region: "local",
    keyEnv: undefined,
  },
};

/** Config `type` values besides preset names. */
export const GENERIC_PROVIDER_TYPES = ["openai-compatible"] as const;

/**
 * Derives the class of an endpoint from its URL: loopback, private-range, link-local and
 * `.local`/`localhost` hosts are `local`; everything else is `hosted`. Failing closed: an
 * unparseable URL is `hosted`.
 */
export function classifyBaseUrl(baseUrl: string): ProviderClass {
  let host: string;
  try {
    host = new URL(baseUrl).hostname.toLowerCase();
  } catch {
    return "hosted";
  }
  if (host.startsWith("[") && host.endsWith("]")) host = host.slice(1, -1);
  if (host === "localhost" || host.endsWith(".localhost") || host.endsWith(".local"))
    return "local";
  if (
    host === "::1" ||
    host.startsWith("fc") ||
    host.startsWith("fd") ||
    host.startsWith("fe80:")
  ) {
    return host.includes(":") ? "local" : "hosted";
  }
  const octets = host.split(".").map(Number);
  if (
    octets.length !== 4 ||
    octets.some((part) => !Number.isInteger(part) || part < 0 || part > 255)
  ) {
    return "hosted";
  }
  const [a = -1, b = -1] = octets;
  if (a === 127 || a === 10) return "local";
  if (a === 172 && b >= 16 && b <= 31) return "local";
  if (a === 192 && b === 168) return "local";
  if (a === 169 && b === 254) return "local";
  return "hosted";
}
