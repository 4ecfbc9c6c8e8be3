import { z } from "zod";

/** An image given by URL (including `data:` URLs) or inline base64 bytes. */
export const imageSourceSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("url"), url: z.string() }),
  z.object({ kind: z.literal("base64"), media_type: z.string(), data: z.string() }),
]);
export type ImageSource = z.infer<typeof imageSourceSchema>;

export const textPartSchema = z.object({ type: z.literal("text"), text: z.string() });
/** Plain text. */
export type TextPart = z.infer<typeof textPartSchema>;

export const imagePartSchema = z.object({ type: z.literal("image"), source: imageSourceSchema });
/** An image the model should look at. */
export type ImagePart = z.infer<typeof imagePartSchema>;

export const toolCallPartSchema = z.object({
  type: z.literal("tool_call"),
  id: z.string(),
  name: z.string(),
  /** The arguments as a JSON text, exactly as the model produced them. */
  arguments: z.string(),
});
/** A tool call the assistant made earlier in the conversation. */
export type ToolCallPart = z.infer<typeof toolCallPartSchema>;

export const toolResultPartSchema = z.object({
  type: z.literal("tool_result"),
  call_id: z.string(),
  content: z.union([z.string(), z.array(z.union([textPartSchema, imagePartSchema]))]),
  is_error: z.boolean().optional(),
});
/** The outcome of a tool call, sent back to the model. */
export type ToolResultPart = z.infer<typeof toolResultPartSchema>;

export const reasoningPartSchema = z.object({
  type: z.literal("reasoning"),
  text: z.string(),
  /** Anthropic thinking signature: only an Anthropic upstream can verify it. */
  signature: z.string().optional(),
  /** OpenAI Responses `encrypted_content`: only an OpenAI Responses upstream can read it. */
  encrypted_content: z.string().optional(),
  /** Opaque id of the reasoning item (Responses `rs_...`). */
  id: z.string().optional(),
});
/** Model reasoning from an earlier turn, replayed so the provider can continue it. */
export type ReasoningPart = z.infer<typeof reasoningPartSchema>;

export const contentPartSchema = z.discriminatedUnion("type", [
  textPartSchema,
  imagePartSchema,
  toolCallPartSchema,
  toolResultPartSchema,
  reasoningPartSchema,
]);
/** One part of a message's content. */
export type ContentPart = z.infer<typeof contentPartSchema>;

export const messageRoleSchema = z.enum(["system", "user", "assistant", "tool"]);
/** Who wrote a message. `tool` messages hold only `tool_result` parts. */
export type MessageRole = z.infer<typeof messageRoleSchema>;

export const canonicalMessageSchema = z.object({
  role: messageRoleSchema,
  content: z.array(contentPartSchema),
});
/** One conversation turn. */
export type CanonicalMessage = z.infer<typeof canonicalMessageSchema>;

export const canonicalToolSchema = z.object({
  /** Name the model sees; for namespaced tools `${namespace}__${function name}`. */
  name: z.string(),
  description: z.string().optional(),
  /** JSON Schema of the arguments object. */
  parameters: z.record(z.string(), z.unknown()),
  strict: z.boolean().optional(),
  /** Responses `namespace` the function was flattened out of, so calls can be re-nested. */
  namespace: z.string().optional(),
});
/** A function tool the model may call. */
export type CanonicalTool = z.infer<typeof canonicalToolSchema>;

export const toolChoiceSchema = z.union([
  z.enum(["auto", "none", "required"]),
  z.object({ name: z.string() }),
]);
/** Whether and which tool the model must call. */
export type ToolChoice = z.infer<typeof toolChoiceSchema>;

export const responseFormatSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("text") }),
  z.object({ type: z.literal("json_object") }),
  z.object({
    type: z.literal("json_schema"),
    name: z.string(),
    schema: z.record(z.string(), z.unknown()),
    strict: z.boolean().optional(),
  }),
]);
/** The shape the final answer must take. */
export type ResponseFormat = z.infer<typeof responseFormatSchema>;

export const reasoningEffortSchema = z.enum(["minimal", "low", "medium", "high"]);
/** How hard a reasoning model should think. */
export type ReasoningEffort = z.infer<typeof reasoningEffortSchema>;

export const reasoningConfigSchema = z.object({
  effort: reasoningEffortSchema.optional(),
  /** Anthropic extended thinking budget. */
  budget_tokens: z.number().int().positive().optional(),
  /** Responses reasoning summary mode (`auto`, `concise`, `detailed`). */
  summary: z.string().optional(),
});
/** Reasoning settings; each wire maps what it supports. */
export type ReasoningConfig = z.infer<typeof reasoningConfigSchema>;

export const requestMetadataSchema = z.object({
  /** hedge role of the turn (`orchestrator`, `executor`, `qa`); set by the gateway, not wires. */
  role: z.string().optional(),
  session_id: z.string().optional(),
  /** Which turn of the session the call belongs to (accounting). */
  turn_id: z.string().optional(),
  /** Restricts routing to these login profiles (a role's profile pool). */
  profiles: z.array(z.string()).optional(),
  user: z.string().optional(),
});
/** Who and what a request is for; used for routing stickiness and accounting. */
export type RequestMetadata = z.infer<typeof requestMetadataSchema>;

export const canonicalRequestSchema = z.object({
  model: z.string(),
  /** Top-level instructions (Chat leading system messages, Responses `instructions`, Messages `system`). */
  system: z.string().optional(),
  messages: z.array(canonicalMessageSchema),
  tools: z.array(canonicalToolSchema).optional(),
  tool_choice: toolChoiceSchema.optional(),
  parallel_tool_calls: z.boolean().optional(),
  response_format: responseFormatSchema.optional(),
  max_tokens: z.number().int().positive().optional(),
  temperature: z.number().optional(),
  top_p: z.number().optional(),
  stop: z.array(z.string()).optional(),
  reasoning: reasoningConfigSchema.optional(),
  stream: z.boolean(),
  /** The client asked for a usage chunk in a Chat stream (`stream_options.include_usage`). */
  include_usage: z.boolean().optional(),
  metadata: requestMetadataSchema,
  /** Inbound fields translation could not map; logged, never fatal. */
  dropped: z.array(z.string()),
});
/** A provider-neutral model request: what every wire decodes to and encodes from. */
export type CanonicalRequest = z.infer<typeof canonicalRequestSchema>;

/** Separator between a Responses namespace and its function in a flattened tool name. */
export const NAMESPACE_SEPARATOR = "__";

/** Flattened tool names of namespaced tools, mapped back to their namespace and function name. */
export function namespacedToolNames(
  tools: readonly CanonicalTool[] | undefined,
): ReadonlyMap<string, { namespace: string; name: string }> {
  const names = new Map<string, { namespace: string; name: string }>();
  for (const tool of tools ?? []) {
    if (tool.namespace === undefined) continue;
    const name = tool.name.slice(tool.namespace.length + NAMESPACE_SEPARATOR.length);
    names.set(tool.name, { namespace: tool.namespace, name });
  }
  return names;
}
