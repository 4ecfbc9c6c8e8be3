/**
 * Environment variables that choose whose account a model call is made with (a key, a token, a
 * login home, an endpoint or a cloud-provider switch), as each vendor documents them. `hedge auth
 * exec` removes all of them from a child's environment before adding the chosen profile's own,
 * so a variable left in the parent shell can never make a vendor CLI use another identity.
 *
 * Generic cloud credentials (`AWS_*`, `GOOGLE_APPLICATION_CREDENTIALS`) are not listed: other
 * tools need them, and the switches that make a model CLI use them (`CLAUDE_CODE_USE_BEDROCK`,
 * `GOOGLE_GENAI_USE_VERTEXAI`, …) are.
 */
export const VENDOR_IDENTITY_VARIABLES: Readonly<Record<string, readonly string[]>> = {
  // OpenAI SDKs (OPENAI_* client options), Azure OpenAI, workload identity.
  openai: [
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
    "OPENAI_API_BASE",
    "OPENAI_ORG_ID",
    "OPENAI_ORGANIZATION",
    "OPENAI_PROJECT_ID",
    "OPENAI_ADMIN_KEY",
    "OPENAI_FEDERATION_RULE_ID",
    "OPENAI_IDENTITY_TOKEN_FILE",
    "AZURE_OPENAI_API_KEY",
    "AZURE_OPENAI_AD_TOKEN",
    "AZURE_OPENAI_ENDPOINT",
  ],
  // Codex CLI: its home (auth.json lives there), its own key and access token.
  codex: ["CODEX_HOME", "CODEX_SQLITE_HOME", "CODEX_API_KEY", "CODEX_ACCESS_TOKEN"],
  // Anthropic SDKs.
  anthropic: [
    "ANTHROPIC_API_KEY",
    "ANTHROPIC_AUTH_TOKEN",
    "ANTHROPIC_BASE_URL",
    "ANTHROPIC_CUSTOM_HEADERS",
  ],
  // Claude Code: config home, subscription token, Bedrock / Vertex / Foundry switches and keys.
  "claude-code": [
    "CLAUDE_CONFIG_DIR",
    "CLAUDE_CODE_OAUTH_TOKEN",
    "CLAUDE_CODE_USE_BEDROCK",
    "CLAUDE_CODE_USE_VERTEX",
    "CLAUDE_CODE_USE_FOUNDRY",
    "CLAUDE_CODE_SKIP_BEDROCK_AUTH",
    "CLAUDE_CODE_SKIP_VERTEX_AUTH",
    "CLAUDE_CODE_SKIP_FOUNDRY_AUTH",
    "AWS_BEARER_TOKEN_BEDROCK",
    "ANTHROPIC_BEDROCK_BASE_URL",
    "ANTHROPIC_VERTEX_BASE_URL",
    "ANTHROPIC_VERTEX_PROJECT_ID",
    "ANTHROPIC_FOUNDRY_API_KEY",
    "ANTHROPIC_FOUNDRY_BASE_URL",
    "ANTHROPIC_FOUNDRY_RESOURCE",
  ],
  // Gemini API and Gemini CLI.
  gemini: [
    "GEMINI_API_KEY",
    "GOOGLE_API_KEY",
    "GOOGLE_GENAI_USE_VERTEXAI",
    "GOOGLE_GENAI_USE_GCA",
    "GEMINI_CLI_HOME",
  ],
  // hedge's own: a remote gateway's key and a pinned profile.
  hedge: ["HEDGE_GATEWAY_KEY", "HEDGE_PROFILE"],
};
