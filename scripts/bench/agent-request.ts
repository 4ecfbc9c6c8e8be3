// A Codex-sized agent request for the gateway bench (about 95 KB): 40 tools with JSON Schema
// parameters, a long system prompt and 60 messages of a working session (user turns, assistant
// tool calls, tool results), as Chat Completions and as Anthropic Messages. Deterministic.

const words =
  "the agent reads files runs tests applies patches and reports what changed in the repository while keeping the sandbox rules and the approval policy in mind".split(
    " ",
  );
const prose = (count: number, seed: number): string => {
  const out: string[] = [];
  for (let index = 0; index < count; index += 1)
    out.push(words[(index * 7 + seed * 13) % words.length] as string);
  return out.join(" ");
};

const tools = Array.from({ length: 40 }, (_, index) => ({
  name: `tool_${String(index).padStart(2, "0")}`,
  description: prose(40, index),
  parameters: {
    type: "object",
    properties: {
      path: { type: "string", description: prose(12, index + 1) },
      content: { type: "string", description: prose(12, index + 2) },
      recursive: { type: "boolean", description: prose(8, index + 3) },
      limit: { type: "integer", minimum: 1, maximum: 1000, description: prose(8, index + 4) },
      mode: { type: "string", enum: ["read", "write", "append"], description: prose(6, index) },
    },
    required: ["path"],
    additionalProperties: false,
  },
}));

const system = prose(4_650, 1);

interface Turn {
  kind: "user" | "call" | "result" | "assistant";
  index: number;
}
const turns: Turn[] = Array.from({ length: 60 }, (_, index) => ({
  kind: (["user", "call", "result", "assistant"] as const)[index % 4] as Turn["kind"],
  index,
}));
const callId = (index: number): string => `call_${String(index).padStart(4, "0")}`;
const resultText = (index: number): string => prose(160, index);

/** Chat Completions, for pass-through to a Chat upstream. */
export function chatAgentRequest(model: string, stream: boolean): string {
  const messages: unknown[] = [{ role: "system", content: system }];
  for (const turn of turns) {
    if (turn.kind === "user") messages.push({ role: "user", content: prose(60, turn.index) });
    else if (turn.kind === "call")
      messages.push({
        role: "assistant",
        content: null,
        tool_calls: [
          {
            id: callId(turn.index),
            type: "function",
            function: {
              name: tools[turn.index % tools.length]?.name,
              arguments: JSON.stringify({ path: `src/file-${turn.index}.ts`, limit: 200 }),
            },
          },
        ],
      });
    else if (turn.kind === "result")
      messages.push({
        role: "tool",
        tool_call_id: callId(turn.index - 1),
        content: resultText(turn.index),
      });
    else messages.push({ role: "assistant", content: prose(50, turn.index) });
  }
  return JSON.stringify({
    model,
    stream,
    messages,
    tools: tools.map((tool) => ({ type: "function", function: tool })),
    tool_choice: "auto",
    ...(stream ? { stream_options: { include_usage: true } } : {}),
  });
}

/** Anthropic Messages with the same content, for the translated path (Messages in, Chat out). */
export function messagesAgentRequest(model: string, stream: boolean): string {
  const messages: unknown[] = [];
  for (const turn of turns) {
    if (turn.kind === "user") messages.push({ role: "user", content: prose(60, turn.index) });
    else if (turn.kind === "call")
      messages.push({
        role: "assistant",
        content: [
          {
            type: "tool_use",
            id: callId(turn.index),
            name: tools[turn.index % tools.length]?.name,
            input: { path: `src/file-${turn.index}.ts`, limit: 200 },
          },
        ],
      });
    else if (turn.kind === "result")
      messages.push({
        role: "user",
        content: [
          {
            type: "tool_result",
            tool_use_id: callId(turn.index - 1),
            content: resultText(turn.index),
          },
        ],
      });
    else messages.push({ role: "assistant", content: prose(50, turn.index) });
  }
  return JSON.stringify({
    model,
    stream,
    max_tokens: 4096,
    system,
    messages,
    tools: tools.map((tool) => ({
      name: tool.name,
      description: tool.description,
      input_schema: tool.parameters,
    })),
  });
}
